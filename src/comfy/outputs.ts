import type { ComfyFileRef, ComfyNodeUi } from './protocol.ts';

export type OutputKind = 'image' | 'video' | 'audio' | 'text' | 'file';

/** One thing a workflow produced: a file to fetch from /view, or a piece of text. */
export interface ComfyOutput {
  node: string;
  kind: OutputKind;
  /** The key of the node's UI dict it came from (`images`, `gifs`, `audio`, `text`…). */
  key: string;
  file?: ComfyFileRef;
  text?: string;
  animated?: boolean;
  /** The MIME type the backend reported, when it reports one (Comfy API v2 does). */
  mime?: string;
}

const VIDEO = /\.(mp4|webm|mov|mkv|avi|gif)$/i;
const AUDIO = /\.(flac|mp3|wav|ogg|opus|m4a)$/i;
const IMAGE = /\.(png|jpe?g|webp|bmp|tiff?)$/i;

const isFileRef = (v: unknown): v is ComfyFileRef =>
  typeof v === 'object' && v !== null && typeof (v as { filename?: unknown }).filename === 'string';

function kindOf(key: string, file: ComfyFileRef, animated: boolean): OutputKind {
  if (key === 'audio' || AUDIO.test(file.filename)) return 'audio';
  if (key === 'gifs' || key === 'video' || key === 'videos' || VIDEO.test(file.filename)) return 'video';
  if (IMAGE.test(file.filename)) return animated ? 'video' : 'image';
  return key === 'images' ? 'image' : 'file';
}

/** Flattens one node's UI dict into outputs. Every key is kept: nothing a node produced is dropped. */
export function outputsFromUi(node: string, ui: ComfyNodeUi | null | undefined): ComfyOutput[] {
  if (!ui) return [];
  const animatedFlags = Array.isArray(ui.animated) ? ui.animated : [];
  const animated = animatedFlags.some((a) => a === true);
  const outputs: ComfyOutput[] = [];
  for (const [key, value] of Object.entries(ui)) {
    if (key === 'animated') continue;
    const items = Array.isArray(value) ? value : [value];
    for (const item of items) {
      if (isFileRef(item)) {
        const file: ComfyFileRef = {
          filename: item.filename,
          subfolder: typeof item.subfolder === 'string' ? item.subfolder : '',
          type: typeof item.type === 'string' ? item.type : 'output',
        };
        const kind = kindOf(key, file, animated);
        outputs.push({ node, key, kind, file, ...(kind === 'video' && animated ? { animated: true } : {}) });
      } else if (typeof item === 'string' && (key === 'text' || key === 'string' || key === 'result')) {
        outputs.push({ node, key, kind: 'text', text: item });
      }
    }
  }
  return outputs;
}

/** All outputs of a history entry, in node order. */
export function outputsFromHistory(outputs: Record<string, ComfyNodeUi> | undefined): ComfyOutput[] {
  if (!outputs) return [];
  return Object.entries(outputs).flatMap(([node, ui]) => outputsFromUi(node, ui));
}

/** The `/view` path for a file. */
export function viewPath(file: ComfyFileRef): string {
  const q = new URLSearchParams({ filename: file.filename, subfolder: file.subfolder, type: file.type });
  return `/view?${q.toString()}`;
}
