import type { JobProgress } from '../core/jobs/types.ts';

export function formatDuration(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${sec}` : `${m}:${sec}`;
}

/** The words of the progress line, so it can be shown in the user's language. */
export interface ProgressLabels {
  step: string;
  elapsed: string;
  eta: string;
}
const ENGLISH: ProgressLabels = { step: 'step', elapsed: 'elapsed', eta: 'ETA' };

/** One line: bar, percent, node, step n/m, elapsed and ETA. */
export function renderProgressLine(
  p: JobProgress,
  elapsedMs: number,
  width = 24,
  labels: ProgressLabels = ENGLISH,
): string {
  const fraction = Math.max(0, Math.min(1, p.fraction));
  const filled = Math.round(fraction * width);
  const bar = `${'█'.repeat(filled)}${'░'.repeat(width - filled)}`;
  const parts = [`[${bar}] ${String(Math.floor(fraction * 100)).padStart(3)}%`];
  if (p.nodeTitle ?? p.node) parts.push(String(p.nodeTitle ?? p.node));
  if (p.step !== undefined && p.steps) parts.push(`${labels.step} ${p.step}/${p.steps}`);
  parts.push(`${labels.elapsed} ${formatDuration(elapsedMs)}`);
  if (p.etaMs !== undefined) parts.push(`${labels.eta} ${formatDuration(p.etaMs)}`);
  return parts.join('  ');
}
