import type { ApiWorkflow } from './types.ts';

export const DEFAULT_PREFIX_ROOT = 'comfyrelay';

/**
 * A per-job `filename_prefix`: `comfyrelay/<jobId>/<original>`. The original prefix's subfolders are kept
 * below the job folder, so concurrent jobs never write to the same name and operators still see their layout.
 */
export function jobFilenamePrefix(original: unknown, jobId: string, root = DEFAULT_PREFIX_ROOT): string {
  const safeJob = jobId.replace(/[^A-Za-z0-9_-]/g, '_') || 'job';
  const kept = (typeof original === 'string' ? original : '')
    .replace(/\\/g, '/')
    .split('/')
    .filter((part) => part !== '' && part !== '.' && part !== '..');
  return [root, safeJob, ...(kept.length > 0 ? kept : ['ComfyUI'])].join('/');
}

/** Rewrites `filename_prefix` on every node that has one (SaveImage, SaveAnimatedWEBP, VHS_VideoCombine…). */
export function applyJobPrefixes(graph: ApiWorkflow, jobId: string, root?: string): void {
  for (const node of Object.values(graph)) {
    if ('filename_prefix' in node.inputs) {
      node.inputs['filename_prefix'] = jobFilenamePrefix(node.inputs['filename_prefix'], jobId, root);
    }
  }
}
