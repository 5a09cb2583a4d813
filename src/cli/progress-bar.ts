import type { JobProgress } from '../core/jobs/types.ts';

export function formatDuration(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${sec}` : `${m}:${sec}`;
}

/** One line: bar, percent, node, step n/m, elapsed and ETA. */
export function renderProgressLine(p: JobProgress, elapsedMs: number, width = 24): string {
  const fraction = Math.max(0, Math.min(1, p.fraction));
  const filled = Math.round(fraction * width);
  const bar = `${'█'.repeat(filled)}${'░'.repeat(width - filled)}`;
  const parts = [`[${bar}] ${String(Math.floor(fraction * 100)).padStart(3)}%`];
  if (p.nodeTitle ?? p.node) parts.push(String(p.nodeTitle ?? p.node));
  if (p.step !== undefined && p.steps) parts.push(`step ${p.step}/${p.steps}`);
  parts.push(`elapsed ${formatDuration(elapsedMs)}`);
  if (p.etaMs !== undefined) parts.push(`ETA ${formatDuration(p.etaMs)}`);
  return parts.join('  ');
}
