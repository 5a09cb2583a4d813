// Binary websocket frames (server.py encode_bytes / send_image / send_image_with_metadata).
export const PREVIEW_IMAGE = 1;
export const TEXT = 3;
export const PREVIEW_IMAGE_WITH_METADATA = 4;

function u32(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n, 0);
  return b;
}

/** Type 1: `u32 1 | u32 image_format (1 = JPEG, 2 = PNG) | image`. */
export function previewFrame(image: Buffer, format: 'jpeg' | 'png' = 'jpeg'): Buffer {
  return Buffer.concat([u32(PREVIEW_IMAGE), u32(format === 'jpeg' ? 1 : 2), image]);
}

export type PreviewMetadata = {
  node_id: string;
  prompt_id: string;
  display_node_id: string;
  parent_node_id: string | null;
  real_node_id: string;
  image_type: 'image/jpeg' | 'image/png';
};

/** Type 4: `u32 4 | u32 json_len | JSON metadata | image`. */
export function previewWithMetadataFrame(image: Buffer, metadata: PreviewMetadata): Buffer {
  const json = Buffer.from(JSON.stringify(metadata), 'utf8');
  return Buffer.concat([u32(PREVIEW_IMAGE_WITH_METADATA), u32(json.length), json, image]);
}

/** Type 3: `u32 3 | u32 node_id_len | node_id | text`. */
export function textFrame(nodeId: string, text: string): Buffer {
  const id = Buffer.from(nodeId, 'utf8');
  return Buffer.concat([u32(TEXT), u32(id.length), id, Buffer.from(text, 'utf8')]);
}
