import { type FakeCloud, startFakeCloud } from '../fakes/cloud/index.ts';
import { type FakeComfy, type FakeComfyOptions, startFakeComfy } from '../fakes/comfy/index.ts';
import type { ConfigInput } from '../../src/config/index.ts';
import { CLOUD_KEY } from '../integration/comfy/v2-helpers.ts';

/** A busy (stalled) local GPU and Comfy Cloud as its overflow with no jobs left in a community's budget. */
export interface SpentCloudOverflow {
  local: FakeComfy;
  cloud: FakeCloud;
  /** The app config naming both backends, five jobs running and waiting per person. */
  config: ConfigInput;
  /** Closes both fakes; the app goes first (after `local.stall(false)`). */
  close(): Promise<void>;
}

export async function startSpentCloudOverflow(localOptions: FakeComfyOptions): Promise<SpentCloudOverflow> {
  const local = await startFakeComfy(localOptions);
  local.stall(true);
  const cloud = await startFakeCloud({ apiKey: CLOUD_KEY });
  const config: ConfigInput = {
    backends: [
      { name: 'home', url: local.url },
      {
        name: 'cloud',
        kind: 'comfy-api-v2',
        url: cloud.url,
        apiKey: CLOUD_KEY,
        overflow: { afterWaitSeconds: 0 },
        budget: { perCommunity: { jobsPerDay: 0 } },
      },
    ] as never,
    quotas: { defaults: { running: 5, waiting: 5 } },
  };
  const close = async () => {
    await cloud.close();
    await local.close();
  };
  return { local, cloud, config, close };
}
