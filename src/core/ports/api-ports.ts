import type { App } from '../app.ts';
import type { AssetStore } from '../assets/asset-store.ts';
import { ApiKeys } from '../keys/api-keys.ts';
import { type ApiRecords, apiRecords } from './api-records.ts';
import { type UploadStaging, uploadStaging } from './upload-staging.ts';

/**
 * What the HTTP API keeps in the core besides jobs: its keys (the command line makes them too), the
 * assets (uploads and job outputs), where uploads stream to, and its own records.
 */
export interface ApiPorts {
  keys: ApiKeys;
  assets: AssetStore;
  uploads: UploadStaging;
  records: ApiRecords;
}

export function apiPorts(app: Pick<App, 'storage' | 'assets' | 'blobs'>): ApiPorts {
  return {
    keys: new ApiKeys(app.storage.keys),
    assets: app.assets,
    uploads: uploadStaging(app.blobs),
    records: apiRecords(app.storage),
  };
}
