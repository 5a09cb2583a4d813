import { comboOptions, declaredInputs, type ObjectInfo } from './object-info.ts';
import type { ModelSlot } from './types.ts';

/**
 * The files a backend lists for a loader's input (its `/object_info` combo), or undefined when that
 * backend does not have the loader at all. ComfyUI rebuilds these lists from its models folders.
 */
export function installedFiles(objectInfo: ObjectInfo, loader: string, input: string): string[] | undefined {
  const info = objectInfo[loader];
  const declared = info ? declaredInputs(info).get(input) : undefined;
  const options = declared ? comboOptions(declared) : undefined;
  return options?.filter((f) => f !== 'pixel_space');
}

/** The files a backend could load into a slot. */
export function installedForSlot(objectInfo: ObjectInfo, slot: ModelSlot): string[] | undefined {
  return installedFiles(objectInfo, slot.loader, slot.input);
}

/** The LoRA files a backend lists (LoraLoader's `lora_name`). */
export function installedLoras(objectInfo: ObjectInfo): string[] | undefined {
  return (
    installedFiles(objectInfo, 'LoraLoader', 'lora_name') ??
    installedFiles(objectInfo, 'LoraLoaderModelOnly', 'lora_name')
  );
}

/** Every file listed in any of the catalogues, once, in first-seen order. */
export function unionOf(lists: readonly (readonly string[] | undefined)[]): string[] {
  return [...new Set(lists.flatMap((l) => l ?? []))];
}
