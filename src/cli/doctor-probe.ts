export { type BackendReport, probeBackend } from '../core/ports/backend-status.ts';

export function formatBytes(n: number | undefined): string {
  return n === undefined ? '?' : `${(n / 1024 ** 3).toFixed(1)} GB`;
}
