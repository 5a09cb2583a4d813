import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { templateBinder } from '../../../../src/core/jobs/template-binder.ts';
import type { JobRequest } from '../../../../src/core/jobs/types.ts';
import { BackendPool } from '../../../../src/core/pool/backend-pool.ts';
import { installedModelsAdapter } from '../../../../src/core/prompt/index.ts';
import type { Substitution } from '../../../../src/workflows/choose-models.ts';
import { checkWorkflow } from '../../../../src/workflows/check.ts';
import type { ApiWorkflow } from '../../../../src/workflows/types.ts';
import { catalogWith } from '../../workflows/installed.ts';
import { templates } from './imagine-fixtures.ts';

const A = catalogWith({ checkpoints: ['dreamshaper_8.safetensors'], loras: [] });
const B = catalogWith({
  checkpoints: ['dreamshaper_8.safetensors', 'realisticVision_v51.safetensors'],
  loras: ['film_grain.safetensors'],
});

/** Two healthy backends with these catalogues and the app's capability check (nothing is contacted). */
function pool(): BackendPool {
  const p = new BackendPool({
    backends: [
      { name: 'a', url: 'http://127.0.0.1:1' },
      { name: 'b', url: 'http://127.0.0.1:2' },
    ],
    canRun: (workflow, objectInfo) => checkWorkflow(workflow as ApiWorkflow, objectInfo as never),
  });
  for (const [backend, info] of [
    [p.backends[0]!, A],
    [p.backends[1]!, B],
  ] as const) {
    backend.objectInfo = info;
    backend.healthy = true;
  }
  return p;
}

const request = (extra: Partial<JobRequest> = {}): JobRequest => ({
  template: 'sd15-txt2img',
  prompt: 'a fox',
  values: {},
  seed: 1,
  ...extra,
});

describe('jobs bound with chosen models go where those models are', () => {
  const p = pool();
  const told: Substitution[] = [];
  const bind = templateBinder(
    () => templates,
    installedModelsAdapter(
      () => ({ backends: p.backends, mapping: { families: { sd15: ['dreamshaper*', 'realistic*'] } } }),
      (s) => told.push(s),
    ),
  );
  after(() => p.close());

  it('GIVEN no model chosen and the default missing everywhere THEN the family’s file, told once for many jobs', () => {
    const first = bind(request(), 'j1');
    const second = bind(request(), 'j2');
    assert.ok(first.ok && second.ok);
    assert.equal(
      (first.value.workflow as ApiWorkflow)['4']?.inputs['ckpt_name'],
      'dreamshaper_8.safetensors',
    );
    assert.deepEqual(told, [
      {
        template: 'sd15-txt2img',
        slot: 'checkpoint',
        missing: 'v1-5-pruned-emaonly.safetensors',
        using: 'dreamshaper_8.safetensors',
      },
    ]);
    assert.deepEqual(
      p.capable(first.value.workflow).map((b) => b.name),
      ['a', 'b'],
    );
  });

  it('GIVEN a model only one backend has THEN only that backend is picked', () => {
    const bound = bind(request({ models: { checkpoint: 'realisticVision_v51.safetensors' } }), 'j3');
    assert.ok(bound.ok);
    assert.deepEqual(
      p.capable(bound.value.workflow).map((b) => b.name),
      ['b'],
    );
    assert.equal(p.pick(bound.value.workflow)?.name, 'b');
    assert.equal(p.pick(bound.value.workflow, new Set(['b'])), undefined);
  });

  it('GIVEN a LoRA only one backend has THEN only that backend is picked', () => {
    const bound = bind(request({ loras: [{ name: 'film_grain.safetensors', strength: 0.7 }] }), 'j4');
    assert.ok(bound.ok);
    assert.equal((bound.value.workflow as ApiWorkflow)['10']?.class_type, 'LoraLoader');
    assert.deepEqual(
      p.capable(bound.value.workflow).map((b) => b.name),
      ['b'],
    );
    assert.deepEqual(p.mightRun(bound.value.workflow), { possible: true, problems: [], known: true });
  });
});
