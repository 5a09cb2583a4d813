import { Counter, Gauge, type Registry } from 'prom-client';
import type { RetentionReport } from './retention-run.ts';

/** What retention reports to Prometheus: bytes kept, entries expired, the database's size. */
export function retentionMetrics(registry: Registry): (report: RetentionReport) => void {
  const registers = [registry];
  const bytes = new Gauge({
    name: 'comfyrelay_blob_bytes',
    help: 'Bytes of files (uploads, outputs, input images) in the blob store after the last retention run',
    registers,
  });
  const count = new Gauge({
    name: 'comfyrelay_blobs',
    help: 'Files in the blob store after the last retention run',
    registers,
  });
  const database = new Gauge({
    name: 'comfyrelay_database_bytes',
    help: 'Size of the SQLite file and its write-ahead log after the last retention run (0 with Redis)',
    registers,
  });
  const expired = new Counter({
    name: 'comfyrelay_retention_expired_total',
    help: 'Entries removed by retention, by kind (audit, inputs, evicted, blobs, staged, rows)',
    labelNames: ['kind'],
    registers,
  });
  const runs = new Counter({
    name: 'comfyrelay_retention_runs_total',
    help: 'Retention runs, by outcome (ok, failed)',
    labelNames: ['outcome'],
    registers,
  });
  return (report) => {
    bytes.set(report.bytesStored);
    count.set(report.blobCount);
    database.set(report.databaseBytes);
    for (const [kind, n] of Object.entries(report.expired)) expired.inc({ kind }, n);
    runs.inc({ outcome: 'ok' });
  };
}

/** Counts a run that failed (the next one tries again). */
export function retentionFailed(registry: Registry): void {
  const metric = registry.getSingleMetric('comfyrelay_retention_runs_total') as Counter | undefined;
  metric?.inc({ outcome: 'failed' });
}
