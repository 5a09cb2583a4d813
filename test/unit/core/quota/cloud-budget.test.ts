import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { quotaLines } from '../../../../src/core/chat/report-lines.ts';
import { declaredProblems } from '../../../../src/core/pool/declared-capabilities.ts';
import { backendSettings } from '../../../../src/core/pool/backend-settings.ts';
import { CloudBudget } from '../../../../src/core/quota/cloud-budget.ts';
import type { Store } from '../../../../src/core/storage/store.ts';
import { configSchema } from '../../../../src/config/index.ts';

function memoryStore(): Store<unknown> & { data: Map<string, unknown> } {
  const data = new Map<string, unknown>();
  return {
    data,
    get: async (id) => data.get(id),
    set: async (id, v) => void data.set(id, v),
    delete: async (id) => data.delete(id),
    async *list() {
      yield* data.entries();
    },
  };
}

const DEC_3 = Date.UTC(2026, 11, 3, 12);

describe('CloudBudget', () => {
  it('GIVEN a per-community daily cap THEN the community that spent it is refused, another is not, and the overall count sums both', () => {
    const budget = new CloudBudget({ now: () => DEC_3 });
    const limits = { overall: { jobsPerDay: 3 }, perCommunity: { jobsPerDay: 1 } };
    budget.chargeJob('cloud', 'guild-a');
    const hit = budget.refusal('cloud', limits, 'guild-a');
    assert.deepEqual(
      { scope: hit?.scope, limit: hit?.limit, max: hit?.max, resetsAt: hit?.resetsAt },
      { scope: 'community', limit: 'jobsPerDay', max: 1, resetsAt: Date.UTC(2026, 11, 4) },
    );
    assert.equal(budget.refusal('cloud', limits, 'guild-b'), undefined);
    budget.chargeJob('cloud', 'guild-b');
    budget.chargeJob('cloud', 'guild-c');
    assert.equal(budget.refusal('cloud', limits, 'guild-d')?.scope, 'overall');
  });

  it('GIVEN a job given back (the service refused it) THEN it no longer counts', () => {
    const budget = new CloudBudget({ now: () => DEC_3 });
    budget.chargeJob('cloud', 'g');
    budget.chargeJob('cloud', 'g', -1);
    assert.equal(budget.refusal('cloud', { overall: { jobsPerMonth: 1 } }, 'g'), undefined);
  });

  it('GIVEN GPU-seconds spent this month THEN the monthly limit counts them and resets on the 1st', () => {
    let now = DEC_3;
    const budget = new CloudBudget({ now: () => now });
    const limits = { overall: { gpuSecondsPerMonth: 100 } };
    budget.chargeGpu('cloud', 'g', 100.4);
    assert.equal(budget.refusal('cloud', limits, 'g')?.limit, 'gpuSecondsPerMonth');
    now = Date.UTC(2027, 0, 1, 0, 1);
    assert.equal(budget.refusal('cloud', limits, 'g'), undefined);
  });

  it('GIVEN a store THEN a new budget over it (a restart) knows what was spent', async () => {
    const store = memoryStore();
    const first = new CloudBudget({ store, now: () => DEC_3 });
    first.chargeJob('cloud', 'g');
    await new Promise((r) => setImmediate(r));
    const second = new CloudBudget({ store, now: () => DEC_3 });
    await second.load();
    assert.deepEqual(
      second.remaining('cloud', { overall: { jobsPerDay: 5 } }).map((r) => r.left),
      [4],
    );
  });

  it('GIVEN cloud budget lines in a usage THEN /quota shows what is left per backend, in Chinese too', () => {
    const usage = {
      key: 'cli:a',
      tier: 'default',
      unlimited: false,
      running: { used: 0, limit: 1 },
      waiting: { used: 0, limit: 3 },
      cloud: new CloudBudget({ now: () => DEC_3 }).remaining(
        'cloud',
        { perCommunity: { jobsPerDay: 20 } },
        'g',
      ),
    };
    const lines = quotaLines(usage, 'en');
    assert.deepEqual(
      lines.slice(-2).map((l) => l.code),
      ['quota.cloud.header', 'quota.cloud.line'],
    );
    assert.equal(lines.at(-1)?.params?.['left'], 20);
    assert.equal(quotaLines(usage, 'zh').at(-1)?.params?.['scope'], '本社区');
  });
});

describe('comfy-api-v2 backend settings', () => {
  it('GIVEN no apiKey in the file THEN COMFY_API_KEY is used, for v2 backends only', () => {
    const config = configSchema.parse({
      backends: [
        { name: 'gpu', url: 'http://127.0.0.1:8188' },
        { name: 'cloud', kind: 'comfy-api-v2', overflow: {}, budget: { overall: { jobsPerDay: 1 } } },
      ],
    });
    const [gpu, cloud] = backendSettings(config.backends, new Map(), { COMFY_API_KEY: 'k-123456' });
    assert.equal(gpu?.apiKey, undefined);
    assert.equal(cloud?.apiKey, 'k-123456');
    assert.equal(cloud?.url, 'https://cloud.comfy.org');
    assert.deepEqual(cloud?.overflow, { afterWaitMs: 60_000 });
  });

  it('GIVEN a comfyui backend without url THEN the configuration is refused', () => {
    assert.throws(() => configSchema.parse({ backends: [{ name: 'gpu' }] }));
  });

  it('GIVEN declared models THEN a workflow loading another one is refused, a declared one passes', () => {
    const wf = { '4': { class_type: 'CheckpointLoaderSimple', inputs: { ckpt_name: 'sdxl.safetensors' } } };
    assert.equal(declaredProblems(wf, { models: ['sdxl.safetensors'] }).length, 0);
    const [problem] = declaredProblems(wf, {
      models: ['flux.safetensors'],
      nodes: ['CheckpointLoaderSimple'],
    });
    assert.equal(problem?.params?.['value'], 'sdxl.safetensors');
    assert.equal(declaredProblems(wf, { nodes: ['KSampler'] }).length, 1);
  });
});
