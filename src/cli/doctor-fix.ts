import type { WorkflowProblem } from '../workflows/index.ts';
import { WorkflowCodes } from '../workflows/index.ts';
import type { ApiWorkflow } from '../workflows/types.ts';
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
