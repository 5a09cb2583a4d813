import { bindWorkflow } from '../../workflows/bind.ts';
import type { WorkflowTemplate } from '../../workflows/types.ts';

/** All a default needs to know of the backends: whether some could run a workflow. */
export type RunnableCheck = {
  mightRun(workflow: Record<string, unknown>): { possible: boolean; known?: boolean };
};

/**
 * Whether some backend could run the template with its default values (or no backend is known yet);
 * `known`: some backend whose catalogue is known can.
 */
export function runnableSomewhere(template: WorkflowTemplate, pool: RunnableCheck, known = false): boolean {
  const values: Record<string, string> = { prompt: 'probe' };
  if (template.params.image) values.image = 'probe.png';
  const bound = bindWorkflow(template, values, { jobId: 'probe', seed: 1 });
  const fit = pool.mightRun(bound.ok ? bound.value.workflow : template.graph);
  return known ? (fit.known ?? fit.possible) : fit.possible;
}

/** The first of `list` a known backend can run, else the first one might run (a backend not read yet). */
const firstRunnable = (list: readonly WorkflowTemplate[], pool: RunnableCheck) =>
  list.find((t) => runnableSomewhere(t, pool, true)) ?? list.find((t) => runnableSomewhere(t, pool));

/**
 * The template a prompt uses when it names none: the person's preference if allowed, else the first
 * text-to-image template some backend can actually run, so a missing model elsewhere is not the default.
 */
export function pickDefaultTemplate(
  templates: readonly WorkflowTemplate[],
  pool: RunnableCheck,
  preferred?: string,
): WorkflowTemplate | undefined {
  const wanted = preferred ? templates.find((t) => t.name === preferred) : undefined;
  if (wanted) return wanted;
  const txt2img = templates.filter((t) => t.tags.includes('txt2img'));
  const noImage = templates.filter((t) => !t.params.image);
  return (
    firstRunnable(txt2img, pool) ?? firstRunnable(noImage, pool) ?? txt2img[0] ?? noImage[0] ?? templates[0]
  );
}

/**
 * The template an input image uses when the prompt names none: the first tagged `tag` (`img2img` unless
 * told) with an image parameter that some backend can run, else the first so tagged.
 */
export function pickImageTemplate(
  templates: readonly WorkflowTemplate[],
  pool: RunnableCheck,
  tag = 'img2img',
): WorkflowTemplate | undefined {
  const tagged = templates.filter((t) => t.tags.includes(tag) && t.params.image);
  return firstRunnable(tagged, pool) ?? tagged[0];
}
