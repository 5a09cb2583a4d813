import { err, ok, type Result } from '#shared/result.ts';
import { asLink } from './graph.ts';
import type { ObjectInfo } from './object-info.ts';
import type { ApiWorkflow, LoraChoice, ModelSlot } from './types.ts';

/** Which outputs of a main-model loader carry MODEL and CLIP, when /object_info does not say. */
const LOADER_OUTPUTS: Record<string, { model: number; clip?: number }> = {
  CheckpointLoaderSimple: { model: 0, clip: 1 },
  CheckpointLoader: { model: 0, clip: 1 },
  unCLIPCheckpointLoader: { model: 0, clip: 1 },
  ImageOnlyCheckpointLoader: { model: 0 },
  UNETLoader: { model: 0 },
  UnetLoaderGGUF: { model: 0 },
};

/**
 * Puts a chain of LoRA loaders between a model loader and everything that used its model (and CLIP):
 * `LoraLoader` when the loader gives a CLIP, `LoraLoaderModelOnly` when it does not (UNETLoader). New
 * nodes get the next free numeric ids, in the order given; links are rewritten on the parsed graph, which
 * is changed in place and returned. Names are written as given (checked against a backend beforehand).
 */
export function insertLoras(
  graph: ApiWorkflow,
  slot: Pick<ModelSlot, 'node' | 'loader'>,
  loras: readonly LoraChoice[],
  objectInfo?: ObjectInfo,
): Result<ApiWorkflow, string> {
  if (loras.length === 0) return ok(graph);
  const outputs = loaderOutputs(slot.loader, objectInfo);
  if (!outputs || !graph[slot.node]) return err(`cannot apply a LoRA to ${slot.loader}#${slot.node}`);
  const consumers = Object.values(graph).map((n) => n.inputs);
  let model: [string, number] = [slot.node, outputs.model];
  let clip: [string, number] | undefined = outputs.clip === undefined ? undefined : [slot.node, outputs.clip];
  const ids = freshIds(graph, loras.length);
  for (const [i, lora] of loras.entries()) {
    const id = ids[i]!;
    const title = { title: `LoRA ${lora.name}` };
    if (clip) {
      graph[id] = {
        class_type: 'LoraLoader',
        inputs: {
          lora_name: lora.name,
          strength_model: lora.strength,
          strength_clip: lora.strength,
          model,
          clip,
        },
        _meta: title,
      };
      clip = [id, 1];
    } else {
      graph[id] = {
        class_type: 'LoraLoaderModelOnly',
        inputs: { lora_name: lora.name, strength_model: lora.strength, model },
        _meta: title,
      };
    }
    model = [id, 0];
  }
  for (const inputs of consumers) {
    for (const [name, value] of Object.entries(inputs)) {
      const link = asLink(value);
      if (!link || link.node !== slot.node) continue;
      if (link.output === outputs.model) inputs[name] = [...model];
      else if (clip && link.output === outputs.clip) inputs[name] = [...clip];
    }
  }
  return ok(graph);
}

/** Whether LoRAs can be chained after this loader (its MODEL/CLIP outputs are known). */
export function takesLoras(slot: Pick<ModelSlot, 'loader'>, objectInfo?: ObjectInfo): boolean {
  return loaderOutputs(slot.loader, objectInfo) !== undefined;
}

function loaderOutputs(
  loader: string,
  objectInfo?: ObjectInfo,
): { model: number; clip?: number } | undefined {
  const types = objectInfo?.[loader]?.output;
  if (types) {
    const model = types.indexOf('MODEL');
    const clip = types.indexOf('CLIP');
    return model < 0 ? undefined : { model, ...(clip < 0 ? {} : { clip }) };
  }
  return LOADER_OUTPUTS[loader];
}

/** `count` ids above every numeric id of the graph (`"10"`, `"11"` after `"9"`). */
function freshIds(graph: ApiWorkflow, count: number): string[] {
  const numeric = Object.keys(graph)
    .map(Number)
    .filter((n) => Number.isSafeInteger(n));
  const start = Math.max(0, ...numeric) + 1;
  return Array.from({ length: count }, (_, i) => String(start + i));
}
