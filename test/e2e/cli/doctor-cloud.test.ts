import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { type FakeCloud, startFakeCloud } from '../../fakes/cloud/index.ts';
import { type FakeComfy, startFakeComfy } from '../../fakes/comfy/index.ts';
import { RedisCloudBudget } from '../../../src/core/quota/redis-cloud-budget.ts';
import { startRedis } from '../../helpers/redis-server.ts';
import { CLOUD_KEY } from '../../integration/comfy/v2-helpers.ts';
import { cleanUp, runCli, SD15_CHECKPOINT, workspace } from './helpers.ts';

describe('comfyrelay doctor with a comfy-api-v2 backend', () => {
  let cloud: FakeCloud;
  let local: FakeComfy;
  before(async () => {
    cloud = await startFakeCloud({ apiKey: CLOUD_KEY });
    local = await startFakeComfy({ models: { checkpoints: [SD15_CHECKPOINT] } });
  });
  after(async () => {
    cleanUp();
    await cloud.close();
    await local.close();
  });

  const cloudEntry = (extra = '') =>
    [
      '  - name: cloud',
      '    kind: comfy-api-v2',
      `    url: ${cloud.url}`,
      '    slots: 3',
      '    overflow: { afterWaitSeconds: 90 }',
      '    budget: { overall: { jobsPerDay: 40, gpuSecondsPerMonth: 7200 }, perCommunity: { jobsPerDay: 5 } }',
      extra,
    ].join('\n');

  it('GIVEN the key in COMFY_API_KEY THEN it shows the key accepted, the slots, the overflow rule and the remaining budget, exit 0', async () => {
    const ws = workspace(['sd15-txt2img'], [local.url]);
    const config = ws.config;
    writeFileSync(
      config,
      readFileSync(config, 'utf8').replace('backends:\n', `backends:\n${cloudEntry()}\n`),
    );
    const r = await runCli(['doctor', '--config', config], {
      cwd: ws.dir,
      env: { COMFY_API_KEY: CLOUD_KEY },
    });
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /cloud: reachable, API key accepted, 3 job\(s\) at once/);
    assert.match(r.stdout, /overflow: used when local backends would keep a job waiting over 90 s/);
    assert.match(r.stdout, /budget \(overall, jobsPerDay\): 40 of 40 left/);
    assert.match(r.stdout, /budget \(overall, gpuSecondsPerMonth\): 7200 of 7200 left/);
    assert.match(r.stdout, /lists no catalogue and none is declared/);
    assert.doesNotMatch(r.stdout + r.stderr, new RegExp(CLOUD_KEY));
  });

  it('GIVEN several processes on one Redis THEN it shows the budget they spent together, counted in Redis', async () => {
    const redis = await startRedis();
    try {
      const spent = new RedisCloudBudget({ url: redis.url });
      for (const community of ['g1', 'g2', 'g1'])
        assert.equal(await spent.reserve('cloud', undefined, community), undefined);
      spent.chargeGpu('cloud', 'g1', 200);
      await spent.close();
      const ws = workspace(['sd15-txt2img'], [local.url]);
      const text = readFileSync(ws.config, 'utf8').replace('backends:\n', `backends:\n${cloudEntry()}\n`);
      writeFileSync(ws.config, `${text}\nstorage:\n  redisUrl: ${redis.url}\n`);
      const r = await runCli(['doctor', '--config', ws.config], {
        cwd: ws.dir,
        env: { COMFY_API_KEY: CLOUD_KEY },
      });
      assert.match(r.stdout, /budget \(overall, jobsPerDay\): 37 of 40 left/, r.stdout + r.stderr);
      assert.match(r.stdout, /budget \(overall, gpuSecondsPerMonth\): 7000 of 7200 left/);
    } finally {
      await redis.stop();
    }
  });

  it('GIVEN declared capabilities without the template’s checkpoint THEN the template is not runnable there', async () => {
    const ws = workspace(['sd15-txt2img'], [local.url]);
    const declared = `    capabilities: { models: [other.safetensors] }\n    apiKey: ${CLOUD_KEY}`;
    writeFileSync(
      ws.config,
      readFileSync(ws.config, 'utf8').replace('backends:\n', `backends:\n${cloudEntry(declared)}\n`),
    );
    const json = await runCli(['doctor', '--json', '--config', ws.config], { cwd: ws.dir });
    const report = JSON.parse(json.stdout) as { templates: { name: string; runnableOn: string[] }[] };
    assert.deepEqual(report.templates[0]?.runnableOn, ['gpu1']);
    assert.doesNotMatch(json.stdout, new RegExp(CLOUD_KEY));
  });

  it('GIVEN a wrong key THEN says the service refused it, without showing it, exit 1', async () => {
    const ws = workspace(['sd15-txt2img'], [local.url]);
    writeFileSync(
      ws.config,
      readFileSync(ws.config, 'utf8').replace('backends:\n', `backends:\n${cloudEntry()}\n`),
    );
    const wrong = 'comfyui-wrong-Key-0000000000000000';
    const r = await runCli(['doctor', '--config', ws.config], { cwd: ws.dir, env: { COMFY_API_KEY: wrong } });
    assert.equal(r.code, 1);
    assert.match(r.stdout, /cloud: the service refused the API key/);
    assert.doesNotMatch(r.stdout + r.stderr, /wrong-Key/);
  });
});
