import type { BlobStore } from '../blobs/blob-store.ts';

/** Where an upload's bytes go while it streams in: staged, kept or discarded once it is checked. */
export type UploadStaging = Pick<BlobStore, 'stage'>;

/** The blob store seen through `UploadStaging` only: no reading, deleting or sweeping of other blobs. */
export function uploadStaging(blobs: UploadStaging): UploadStaging {
  return { stage: (source, options) => blobs.stage(source, options) };
}
