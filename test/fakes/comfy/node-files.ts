// What output nodes share: writing files with ComfyUI's names, their runtime errors, their inputs.
import { posix } from 'node:path';
import { counterName, type DirType, ROOTS, saveImagePath } from './files.ts';
import { isLink } from './graph.ts';
import type { NodeContext, Value } from './nodes.ts';
import type { JsonValue } from './types.ts';

export function inputsOf(ctx: NodeContext): Record<string, JsonValue> {
  return ctx.prompt[ctx.id]?.inputs ?? {};
}

export class NodeRuntimeError extends Error {
  readonly exceptionType: string;
  readonly traceback: string[];
  constructor(message: string, exceptionType: string, traceback: string[]) {
    super(message);
    this.exceptionType = exceptionType;
    this.traceback = traceback;
  }
}

const TB_HEAD = [
  '  File "/srv/ComfyUI/execution.py", line 496, in execute\n    output_data, output_ui, has_subgraph, has_pending_tasks = await get_output_data(prompt_id, unique_id, obj, input_data_all, execution_block_cb=execution_block_cb, pre_execute_cb=pre_execute_cb, hidden_inputs=hidden_inputs)\n',
  '  File "/srv/ComfyUI/execution.py", line 315, in get_output_data\n    return_values = await _async_map_node_over_list(prompt_id, unique_id, obj, input_data_all, obj.FUNCTION, allow_interrupt=True, execution_block_cb=execution_block_cb, pre_execute_cb=pre_execute_cb, hidden_inputs=hidden_inputs)\n',
  '  File "/srv/ComfyUI/execution.py", line 289, in _async_map_node_over_list\n    await process_inputs(input_dict, i)\n',
  '  File "/srv/ComfyUI/execution.py", line 277, in process_inputs\n    result = f(**inputs)\n             ^^^^^^^^^^^\n',
];

export function runtimeTraceback(tail: string[]): string[] {
  return [...TB_HEAD, ...tail];
}

export type FileRef = { filename: string; subfolder: string; type: DirType };

export async function saveFiles(
  ctx: NodeContext,
  images: Value,
  opts: { type: DirType; prefix: string; ext: string; perBatch: boolean },
  write: (path: string, batch: number) => Promise<Buffer>,
): Promise<FileRef[]> {
  const root = ROOTS[opts.type];
  let target: ReturnType<typeof saveImagePath>;
  try {
    target = saveImagePath(ctx.store, root, opts.prefix, images.width, images.height);
  } catch (e) {
    throw new NodeRuntimeError(
      e instanceof Error ? e.message : String(e),
      'Exception',
      runtimeTraceback([
        '  File "/srv/ComfyUI/nodes.py", line 1590, in save_images\n    full_output_folder, filename, counter, subfolder, filename_prefix = folder_paths.get_save_image_path(filename_prefix, self.output_dir, images[0].shape[1], images[0].shape[0])\n',
        '  File "/srv/ComfyUI/folder_paths.py", line 397, in get_save_image_path\n    raise Exception(err)\n',
      ]),
    );
  }
  const refs: FileRef[] = [];
  const count = opts.perBatch ? Math.max(1, images.batch) : 1;
  for (let b = 0; b < count; b++) {
    const file = counterName(target.filename, target.counter + b, opts.ext, b);
    const path = posix.join(target.folder, file);
    ctx.store.put(path, await write(path, b));
    refs.push({ filename: file, subfolder: target.subfolder, type: opts.type });
  }
  return refs;
}

export function pngTexts(ctx: NodeContext): Record<string, string> {
  const texts: Record<string, string> = { prompt: JSON.stringify(ctx.prompt) };
  const info = ctx.extraData.extra_pnginfo;
  if (info && typeof info === 'object' && !Array.isArray(info)) {
    for (const [k, v] of Object.entries(info)) texts[k] = JSON.stringify(v);
  }
  return texts;
}

export function linkedValue(ctx: NodeContext, name: string): Value {
  const link = inputsOf(ctx)[name];
  const v = isLink(link) ? ctx.valueOf(link) : undefined;
  return v ?? { type: 'IMAGE', width: 64, height: 64, batch: 1, color: [0, 0, 0] };
}

export function prefixInput(ctx: NodeContext, fallback: string): string {
  const p = inputsOf(ctx).filename_prefix;
  return typeof p === 'string' ? p : fallback;
}
