import type { ComfyOutput, OutputKind } from '../outputs.ts';
import type { ComfyFileRef } from '../protocol.ts';

/**
 * The `type` of a file reference that names a Comfy API v2 asset. Its `subfolder` holds the asset id
 * and its `filename` the name the service gave the output, so the engine stores and reads a cloud
 * output with the same three fields as a ComfyUI one, and it survives a restart.
 */
export const ASSET_FILE_TYPE = 'asset';

/** An output as the SDK describes it (`Output` getters or the wire model mapped to them). */
export interface V2OutputModel {
  nodeId: string;
  name: string;
  type: string;
  id: string;
  contentType: string;
  sizeBytes: number;
}

export function assetFileRef(o: Pick<V2OutputModel, 'id' | 'name'>): ComfyFileRef {
  return { filename: o.name, subfolder: o.id, type: ASSET_FILE_TYPE };
}

/** The asset id a file reference names, or undefined for a ComfyUI file. */
export function assetIdOf(file: ComfyFileRef): string | undefined {
  return file.type === ASSET_FILE_TYPE && file.subfolder ? file.subfolder : undefined;
}

const KINDS: Record<string, OutputKind> = {
  image: 'image',
  video: 'video',
  audio: 'audio',
  file: 'file',
  latent: 'file',
};

/**
 * One v2 output as a ComfyOutput. A `text` output is a text only when its content is given (read once
 * the job ended); otherwise it is delivered as a file.
 */
export function outputFromV2(o: V2OutputModel, text?: string): ComfyOutput {
  if (o.type === 'text' && text !== undefined) return { node: o.nodeId, key: 'text', kind: 'text', text };
  const kind = KINDS[o.type] ?? 'file';
  return { node: o.nodeId, key: o.type, kind, file: assetFileRef(o), mime: o.contentType };
}
