import { Counter, Gauge, Histogram, Registry } from 'prom-client';

/** The Prometheus metrics of one ComfyRelay process. */
export class Metrics {
  readonly registry = new Registry();
  readonly queueDepth = new Gauge({
    name: 'comfyrelay_queue_depth',
    help: 'Jobs waiting in the fair queue',
    registers: [this.registry],
  });
  readonly backendJobs = new Gauge({
    name: 'comfyrelay_backend_jobs',
    help: 'Jobs dispatched to a backend (running or queued there)',
    labelNames: ['backend'],
    registers: [this.registry],
  });
  readonly backendOutOfCredits = new Gauge({
    name: 'comfyrelay_backend_out_of_credits',
    help: '1 while a Comfy API v2 backend (Comfy Cloud) says the account is out of credits',
    labelNames: ['backend'],
    registers: [this.registry],
  });
  readonly backendHealthy = new Gauge({
    name: 'comfyrelay_backend_healthy',
    help: '1 when the backend answers, 0 when not',
    labelNames: ['backend'],
    registers: [this.registry],
  });
  readonly waitSeconds = new Histogram({
    name: 'comfyrelay_job_wait_seconds',
    help: 'Time from accepted to dispatched',
    buckets: [0.1, 0.5, 1, 5, 15, 30, 60, 120, 300, 600, 1800],
    registers: [this.registry],
  });
  readonly runSeconds = new Histogram({
    name: 'comfyrelay_job_run_seconds',
    help: 'Time a job ran on its backend',
    labelNames: ['template'],
    buckets: [0.5, 1, 2, 5, 10, 20, 30, 60, 120, 300, 600],
    registers: [this.registry],
  });
  readonly outcomes = new Counter({
    name: 'comfyrelay_job_outcomes_total',
    help: 'Finished jobs by final state and reason',
    labelNames: ['state', 'reason'],
    registers: [this.registry],
  });
  readonly socketReconnects = new Gauge({
    name: 'comfyrelay_socket_reconnects',
    help: 'WebSocket reconnects per backend since start',
    labelNames: ['backend'],
    registers: [this.registry],
  });
  readonly operatorRefusals = new Counter({
    name: 'comfyrelay_operator_refusals_total',
    help: 'Chat requests refused for a reason only the operator can fix (a missing node or model), by code',
    labelNames: ['code'],
    registers: [this.registry],
  });
  readonly quotaRefusals = new Counter({
    name: 'comfyrelay_quota_refusals_total',
    help: 'Jobs refused by a quota, by limit',
    labelNames: ['limit'],
    registers: [this.registry],
  });
  readonly safetyClassified = new Counter({
    name: 'comfyrelay_safety_images_classified_total',
    help: 'Output images put through the safety classifier, by verdict (scored, timeout, failed, unsupported, unavailable)',
    labelNames: ['verdict'],
    registers: [this.registry],
  });
  readonly safetyActions = new Counter({
    name: 'comfyrelay_safety_actions_total',
    help: 'Safety decisions on output images, by action (allow, spoiler, blur, block)',
    labelNames: ['action'],
    registers: [this.registry],
  });
  readonly safetyClassifySeconds = new Histogram({
    name: 'comfyrelay_safety_classify_seconds',
    help: 'Time to classify one output image, decoding and queueing included',
    buckets: [0.025, 0.05, 0.075, 0.1, 0.15, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });
}
