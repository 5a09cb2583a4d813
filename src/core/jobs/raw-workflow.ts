import { toApiWorkflow } from '../../workflows/api-format.ts';
import { applyJobPrefixes } from '../../workflows/output-prefix.ts';
import type { ApiWorkflow } from '../../workflows/types.ts';
import { err, ok } from '#shared/result.ts';
import type { WorkflowBinder } from './job-service.ts';
import type { JobRequest } from './types.ts';

/** The pseudo-template name of jobs that run a client's own API-format graph (Comfy API v2). */
export const RAW_TEMPLATE = '@workflow';

/** A job request carrying a whole API-format graph instead of template values. */
export type RawJobRequest = JobRequest & { workflow?: Record<string, unknown> };

/** Where a Comfy API v2 `core/ASSET` reference sits in a graph, and which asset it names. */
export interface AssetRef {
  node: string;
  input: string;
  assetId: string;
}

const isAssetRef = (v: unknown): v is { __type: 'core/ASSET'; info: { id: string } } =>
  typeof v === 'object' &&
  v !== null &&
  (v as { __type?: unknown }).__type === 'core/ASSET' &&
  typeof (v as { info?: { id?: unknown } }).info?.id === 'string';

/** Every `{"__type":"core/ASSET","info":{"id":…}}` input of a graph (the SDK puts them where a filename goes). */
export function findAssetRefs(workflow: Record<string, unknown>): AssetRef[] {
  const refs: AssetRef[] = [];
  for (const [node, value] of Object.entries(workflow)) {
    const inputs = (value as { inputs?: Record<string, unknown> } | null)?.inputs;
    if (typeof inputs !== 'object' || inputs === null) continue;
    for (const [input, v] of Object.entries(inputs))
      if (isAssetRef(v)) refs.push({ node, input, assetId: v.info.id });
  }
  return refs;
}

const firstSeed = (graph: ApiWorkflow): number => {
  for (const node of Object.values(graph)) {
    for (const key of ['seed', 'noise_seed']) {
      const v = node.inputs[key];
      if (typeof v === 'number' && Number.isSafeInteger(v) && v >= 0) return v;
    }
  }
  return 0;
};

/**
 * Wraps a template binder: a request with `workflow` set is checked to be API format, every save node gets
 * a per-job `filename_prefix`, and its `core/ASSET` inputs become the job's input-image targets (the engine
 * uploads the one input image to the chosen backend and writes its name there). Other requests go to
 * `inner` unchanged.
 */
export function rawWorkflowBinder(inner: WorkflowBinder): WorkflowBinder {
  return (request: RawJobRequest, jobId) => {
    if (!request.workflow) return inner(request, jobId);
    if (Array.isArray(request.workflow['nodes']) && Array.isArray(request.workflow['links']))
      return err({ code: 'http.workflow.uiFormat' });
    const refs = findAssetRefs(request.workflow);
    if (new Set(refs.map((r) => r.assetId)).size > 1) return err({ code: 'http.workflow.oneAsset' });
    if (refs.length > 0 && !request.inputImage)
      return err({ code: 'jobs.needsImage', params: { template: RAW_TEMPLATE } });
    const graph = structuredClone(request.workflow);
    for (const r of refs)
      (graph[r.node] as { inputs: Record<string, unknown> }).inputs[r.input] = request.inputImage?.key ?? '';
    const checked = toApiWorkflow(graph);
    if (!checked.ok) {
      const details = checked.error.map((p) => `${p.path}: ${p.reason}`).join('; ');
      return err({ code: 'http.workflow.invalid', params: { details } });
    }
    applyJobPrefixes(checked.value, jobId);
    return ok({
      workflow: checked.value,
      seed: firstSeed(checked.value),
      imageTargets: refs.map(({ node, input }) => ({ node, input })),
    });
  };
}
