import { createInterface } from 'node:readline/promises';
import type { BackendView } from '../core/prompt/installed-catalog.ts';
import { listChoices, WorkflowCodes } from '../workflows/errors.ts';
import type { WorkflowProblem } from '../workflows/check.ts';
import type { ModelMapping } from '../workflows/model-mapping.ts';
import { findModelFile } from '../workflows/model-names.ts';
import type { ApiWorkflow, WorkflowTemplate } from '../workflows/types.ts';
import './catalog-doctor.ts';
import { changesFor, FOLDER_OF, type ModelProposal, proposeModels, withChanges } from './doctor-models.ts';
import { writeModelChanges } from './doctor-write.ts';
import type { CliIo } from './io.ts';
import type { Translate } from './messages.ts';

/** ComfyUI's models folder that a loader's file input lists (folder_paths in ComfyUI's nodes.py). */
const FOLDER_BY_INPUT: Record<string, string> = {
  ckpt_name: 'checkpoints',
  lora_name: 'loras',
  vae_name: 'vae',
  unet_name: 'diffusion_models',
  clip_name: 'text_encoders',
  clip_name1: 'text_encoders',
  clip_name2: 'text_encoders',
  clip_name3: 'text_encoders',
  control_net_name: 'controlnet',
  style_model_name: 'style_models',
  gligen_name: 'gligen',
  hypernetwork_name: 'hypernetworks',
};
const FOLDER_BY_CLASS: Record<string, string> = {
  UpscaleModelLoader: 'upscale_models',
  CLIPVisionLoader: 'clip_vision',
};

/** What the operator should do about one problem, or undefined when the message says it all. */
export function fixFor(problem: WorkflowProblem, graph: ApiWorkflow, tr: Translate): string | undefined {
  const classType = graph[problem.node]?.class_type ?? '';
  if (problem.code === WorkflowCodes.unknownNode) return tr('cli.doctor.fix_node', { class: classType });
  if (problem.code === WorkflowCodes.badChoice || problem.code === WorkflowCodes.noChoicesInstalled) {
    const folder = FOLDER_BY_CLASS[classType] ?? FOLDER_BY_INPUT[problem.input ?? ''];
    const file = String(problem.params['value'] ?? '');
    return folder
      ? tr('cli.doctor.fix_model', { file, folder: `models/${folder}` })
      : tr('cli.doctor.fix_file', { file, input: problem.input ?? '?', class: classType });
  }
  return undefined;
}

/** Asks the operator one question and returns the answer; undefined when no one can answer. */
export type Ask = (question: string) => Promise<string | undefined>;

/** Questions on stderr, answers from the terminal; none when stdin is not a terminal (scripts, CI). */
export function terminalAsk(io: Pick<CliIo, 'stdin' | 'stderr'>): Ask | undefined {
  const { stdin } = io;
  if (!stdin?.isTTY) return undefined;
  return async (question) => {
    const rl = createInterface({ input: stdin, output: io.stderr });
    try {
      return await rl.question(question);
    } catch {
      return undefined;
    } finally {
      rl.close();
    }
  };
}

export interface ModelFixOptions {
  templates: readonly WorkflowTemplate[];
  backends: readonly BackendView[];
  mapping: ModelMapping | undefined;
  /** The configuration file to write (created when missing). */
  file: string;
  /** Accept every proposal without asking (`--yes`). */
  yes: boolean;
  ask?: Ask;
}

/**
 * `doctor --fix`: proposes an installed file for each missing model ("sd15-txt2img: v1-5-… is missing;
 * installed checkpoints: a, b, c — use a?"), asks (or takes the proposal with `--yes`), and writes the
 * answers to the configuration's `models:` section. Returns the mapping as it now is, and whether
 * writing the file failed.
 */
export async function fixModels(
  out: (line: string) => void,
  tr: Translate,
  o: ModelFixOptions,
): Promise<{ mapping: ModelMapping | undefined; failed: boolean }> {
  const proposals = proposeModels(o.templates, o.backends, o.mapping);
  const picks: { proposal: ModelProposal; file: string }[] = [];
  let unanswered = 0;
  for (const p of proposals) {
    const kind = tr(`cli.doctor.kind.${p.slot.kind}`);
    const base = { template: p.template, file: p.missing, kind };
    if (p.installed.length === 0) {
      out(tr('cli.doctor.models.none', { ...base, folder: FOLDER_OF[p.slot.kind] }));
      continue;
    }
    const proposal = p.installed[0]!;
    out(tr('cli.doctor.models.missing', { ...base, installed: listChoices(p.installed, 20), proposal }));
    const answer = o.yes ? '' : await o.ask?.(tr('cli.doctor.models.ask'));
    if (answer === undefined) {
      unanswered++;
      continue;
    }
    const file = pick(answer, p.installed);
    out(
      file
        ? tr('cli.doctor.models.chosen', { template: p.template, slot: p.slot.name, file })
        : tr('cli.doctor.models.skipped', { template: p.template, slot: p.slot.name }),
    );
    if (file) picks.push({ proposal: p, file });
  }
  if (proposals.length === 0) out(tr('cli.doctor.models.nothing'));
  if (unanswered > 0) out(tr('cli.doctor.models.not_written'));
  if (picks.length === 0) return { mapping: o.mapping, failed: false };
  const changes = changesFor(picks, o.mapping);
  const written = writeModelChanges(o.file, changes);
  if (!written.ok) {
    out(tr('cli.doctor.models.write_failed', { file: o.file, reason: written.error }));
    return { mapping: o.mapping, failed: true };
  }
  out(tr('cli.doctor.models.written', { count: picks.length, file: o.file }));
  return { mapping: withChanges(o.mapping, changes), failed: false };
}

/** Enter or "y": the proposal; "n": none; a number from the list, or a name (fuzzy). */
function pick(answer: string, installed: readonly string[]): string | undefined {
  const a = answer.trim();
  if (a === '' || /^(y|yes|是|好)$/i.test(a)) return installed[0];
  if (/^(n|no|否)$/i.test(a)) return undefined;
  const n = Number(a);
  if (Number.isInteger(n) && n >= 1 && n <= installed.length) return installed[n - 1];
  const found = findModelFile(a, installed);
  return found.kind === 'found' ? found.file : undefined;
}
