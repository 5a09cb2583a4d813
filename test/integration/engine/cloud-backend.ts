import type { FakeCloud } from '../../fakes/cloud/index.ts';
import type { EngineBackend } from '../../helpers/engine-harness.ts';
import { CLOUD_KEY } from '../comfy/v2-helpers.ts';

/** The Comfy Cloud stand-in as a `comfy-api-v2` backend of the config, two jobs at once. */
export function cloudBackend(cloud: FakeCloud, extra: Record<string, unknown> = {}): EngineBackend {
  return {
    name: 'cloud',
    kind: 'comfy-api-v2',
    url: cloud.url,
    apiKey: CLOUD_KEY,
    slots: 2,
    ...extra,
  } as never;
}
