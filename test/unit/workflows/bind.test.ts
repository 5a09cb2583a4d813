import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { describe, it } from 'node:test';
import { bindWorkflow } from '../../../src/workflows/bind.ts';
import { loadTemplates } from '../../../src/workflows/loader.ts';
import { MAX_SEED } from '../../../src/workflows/seed.ts';
import { buildTemplate } from '../../../src/workflows/template.ts';
import type { ObjectInfo } from '../../../src/workflows/object-info.ts';
import type { ParamSpec, ParamValues, WorkflowTemplate } from '../../../src/workflows/types.ts';
import {
  changedInputs,
  FIXTURES,
  NOT_WORKFLOWS,
  readAllObjectInfo,
  readFixtureGraph,
  SHIPPED,
} from './helpers.ts';

/** A valid, recognisable value for each discovered parameter. */
const SAMPLE: ParamValues = {
  prompt: 'a "quoted" {braced} prompt',
  negative: 'nothing bad',
  seed: 123456789,
  steps: 7,
  cfg: 4.5,
  sampler: 'heun',
  scheduler: 'karras',
  denoise: 0.55,
  width: 640,
  height: 384,
  batch: 2,
  checkpoint: 'other-model.safetensors',
  image: 'upload-1.png',
  guidance: 2.5,
};

function templateFor(name: string, objectInfo?: ObjectInfo): WorkflowTemplate {
  const graph = readFixtureGraph(name, objectInfo);
  const built = buildTemplate({ name, file: `${name}.json`, graph, objectInfo });
  assert.ok(built.ok, JSON.stringify(!built.ok && built.error));
  return built.value;
}

/** A sample value the spec accepts: for choices the backend lists, one that differs from the graph's. */
function sampleFor(spec: ParamSpec, sample: string | number | boolean): string | number | boolean {
  if (spec.kind !== 'choice' || !spec.choices || spec.choices.includes(String(sample))) return sample;
  return spec.choices.find((c) => c !== spec.default) ?? spec.choices[0] ?? sample;
}

/** Binds every parameter the template has and checks the value is at each target and nowhere else. */
function assertBindsExactly(template: WorkflowTemplate, values: ParamValues): void {
  const given = Object.fromEntries(
    Object.entries(values)
      .filter(([k]) => k in template.params)
      .map(([k, v]) => [k, sampleFor(template.params[k]!, v)]),
  );
  const bound = bindWorkflow(template, given, { jobId: 'job-1' });
  assert.ok(bound.ok, JSON.stringify(!bound.ok && bound.error));
  const expected = new Set<string>();
  for (const spec of Object.values(template.params)) {
    const value = given[spec.name] ?? spec.default;
    for (const t of spec.targets) {
      assert.deepEqual(
        bound.value.workflow[t.node]?.inputs[t.input],
        value,
        `${spec.name} at ${t.node}.${t.input}`,
      );
      if (value !== template.graph[t.node]?.inputs[t.input]) expected.add(`${t.node}.${t.input}`);
    }
  }
  for (const id of Object.keys(template.graph)) {
    if ('filename_prefix' in template.graph[id]!.inputs) expected.add(`${id}.filename_prefix`);
  }
  assert.deepEqual(changedInputs(template.graph, bound.value.workflow), [...expected].sort());
}

describe('bindWorkflow on exported workflows (no manifest)', () => {
  const objectInfo = readAllObjectInfo();
  const names = readdirSync(FIXTURES)
    .filter((f) => f.endsWith('.json') && !f.endsWith('.ui.json') && !NOT_WORKFLOWS.has(f))
    .map((f) => f.slice(0, -5));
  for (const name of names) {
    it(`GIVEN ${name}.json and a value for every parameter THEN each value lands on its targets and nothing else changes`, () => {
      assertBindsExactly(templateFor(name, objectInfo), SAMPLE);
    });
  }

  it('GIVEN base+refiner THEN seed and the total steps reach both passes, cfg and the switch step only the base', () => {
    const bound = bindWorkflow(templateFor('sdxl-refiner'), { seed: 99, steps: 30, cfg: 6 }, { jobId: 'j' });
    assert.ok(bound.ok);
    const wf = bound.value.workflow;
    assert.equal(wf['10']?.inputs['noise_seed'], 99);
    assert.equal(wf['11']?.inputs['noise_seed'], 99);
    assert.equal(wf['10']?.inputs['steps'], 30);
    assert.equal(wf['11']?.inputs['steps'], 30);
    assert.equal(wf['10']?.inputs['cfg'], 6);
    assert.equal(wf['11']?.inputs['cfg'], 8);
    assert.equal(wf['10']?.inputs['end_at_step'], 20);
    assert.equal(wf['11']?.inputs['start_at_step'], 20);
  });

  it('GIVEN SDXL text encoders THEN the prompt lands on both text_g and text_l', () => {
    const bound = bindWorkflow(templateFor('sdxl-clip-text-encode-sdxl'), { prompt: 'p' }, { jobId: 'j' });
    assert.ok(bound.ok);
    assert.equal(bound.value.workflow['6']?.inputs['text_g'], 'p');
    assert.equal(bound.value.workflow['6']?.inputs['text_l'], 'p');
  });
});

describe('bindWorkflow on shipped templates', async () => {
  const { templates, errors } = await loadTemplates(SHIPPED);
  it('GIVEN workflows/ THEN all five templates load without errors', () => {
    assert.deepEqual(errors, []);
    assert.deepEqual(templates.map((t) => t.name).sort(), [
      'flux-schnell-txt2img',
      'sd15-img2img',
      'sd15-txt2img',
      'sdxl-txt2img',
      'upscale-4x',
    ]);
  });
  const SHIPPED_TARGETS: Record<string, Record<string, string>> = {
    'sd15-txt2img': {
      prompt: '6.text',
      negative: '7.text',
      seed: '3.seed',
      steps: '3.steps',
      width: '5.width',
    },
    'sdxl-txt2img': {
      prompt: '6.text',
      negative: '7.text',
      seed: '3.seed',
      steps: '3.steps',
      height: '5.height',
    },
    'flux-schnell-txt2img': { prompt: '6.text', seed: '25.noise_seed', steps: '17.steps', width: '27.width' },
    'sd15-img2img': { prompt: '6.text', image: '10.image', denoise: '3.denoise', seed: '3.seed' },
    'upscale-4x': { image: '1.image', upscale_model: '2.model_name' },
  };
  const VALUES: ParamValues = { ...SAMPLE, width: 768, height: 768, steps: 4, denoise: 0.5, cfg: 5 };
  for (const template of templates) {
    it(`GIVEN ${template.name} THEN its parameters land on the exact node inputs`, () => {
      for (const [name, at] of Object.entries(SHIPPED_TARGETS[template.name] ?? {})) {
        const [node, input] = at.split('.') as [string, string];
        assert.deepEqual(template.params[name]?.targets, [{ node, input }], `${template.name}.${name}`);
      }
      const values: ParamValues = { ...VALUES, upscale_model: 'RealESRGAN_x4plus.pth' };
      delete values['checkpoint'];
      delete values['scheduler'];
      assertBindsExactly(template, values);
    });
  }
  it('GIVEN sdxl-txt2img without values THEN the manifest defaults are written (25 steps, 1024²)', () => {
    const sdxl = templates.find((t) => t.name === 'sdxl-txt2img')!;
    const bound = bindWorkflow(sdxl, {}, { jobId: 'j', random: () => 0.5 });
    assert.ok(bound.ok);
    assert.equal(bound.value.workflow['3']?.inputs['steps'], 25);
    assert.equal(bound.value.workflow['5']?.inputs['width'], 1024);
    assert.equal(bound.value.values['steps'], 25);
  });
});

describe('bindWorkflow safety', () => {
  const NASTY = 'say "hi"]}, {"3": {"class_type": "Evil"}}\n\tline two \\" \u2028 {{x}} $' + '{y} `z`';

  it('GIVEN a prompt with quotes, braces, "]}, and newlines THEN it lands verbatim and the graph is otherwise identical', () => {
    const template = templateFor('sd15-ksampler');
    const bound = bindWorkflow(template, { prompt: NASTY, seed: 1 }, { jobId: 'j' });
    assert.ok(bound.ok);
    const wf = bound.value.workflow;
    assert.equal(wf['6']?.inputs['text'], NASTY);
    assert.equal(JSON.parse(JSON.stringify(wf))['6'].inputs.text, NASTY);
    assert.deepEqual(Object.keys(wf), Object.keys(template.graph));
    assert.deepEqual(changedInputs(template.graph, wf), ['3.seed', '6.text', '9.filename_prefix']);
  });

  it('GIVEN a bound workflow THEN the template graph is untouched (deep clone)', () => {
    const template = templateFor('sd15-ksampler');
    const before = JSON.stringify(template.graph);
    bindWorkflow(template, { prompt: 'x' }, { jobId: 'j' });
    assert.equal(JSON.stringify(template.graph), before);
  });

  it('GIVEN seed -1 or no seed THEN a random seed in [0, 2^53) is used, written and reported', () => {
    const template = templateFor('hires-fix');
    for (const values of [{ seed: -1 }, {}] as ParamValues[]) {
      const bound = bindWorkflow(template, values, { jobId: 'j', random: () => 0.999999999 });
      assert.ok(bound.ok);
      assert.ok(bound.value.seed >= 0 && bound.value.seed <= MAX_SEED);
      assert.equal(bound.value.workflow['3']?.inputs['seed'], bound.value.seed);
      assert.equal(bound.value.workflow['11']?.inputs['seed'], bound.value.seed);
    }
    const zero = bindWorkflow(template, {}, { jobId: 'j', random: () => 0 });
    assert.ok(zero.ok);
    assert.equal(zero.value.seed, 0);
  });

  it('GIVEN opts.seed THEN it is used when values have none; values.seed wins otherwise', () => {
    const template = templateFor('sd15-ksampler');
    const a = bindWorkflow(template, {}, { jobId: 'j', seed: 77 });
    const b = bindWorkflow(template, { seed: 5 }, { jobId: 'j', seed: 77 });
    assert.ok(a.ok && b.ok);
    assert.equal(a.value.seed, 77);
    assert.equal(b.value.seed, 5);
  });

  it('GIVEN a manifest with a fixed seed default THEN that seed is used when none is given', () => {
    const template = templateFor('sd15-ksampler');
    const fixed = {
      ...template,
      params: { ...template.params, seed: { ...template.params['seed']!, default: 42 } },
    };
    const bound = bindWorkflow(fixed, {}, { jobId: 'j' });
    assert.ok(bound.ok);
    assert.equal(bound.value.seed, 42);
    assert.equal(bound.value.workflow['3']?.inputs['seed'], 42);
  });

  it('GIVEN a seed above 2^53-1 THEN the error names seed and its range', () => {
    const bound = bindWorkflow(templateFor('sd15-ksampler'), {}, { jobId: 'j', seed: 2 ** 60 });
    assert.ok(!bound.ok);
    assert.equal(bound.error.code, 'workflows.param.out_of_range');
    assert.equal(bound.error.params['param'], 'seed');
    assert.equal(bound.error.params['max'], MAX_SEED);
  });

  it('GIVEN several save nodes THEN each gets a per-job prefix that keeps its subfolder', () => {
    const bound = bindWorkflow(templateFor('multi-save'), {}, { jobId: 'abc/../42' });
    assert.ok(bound.ok);
    const wf = bound.value.workflow;
    assert.equal(wf['9']?.inputs['filename_prefix'], 'comfyrelay/abc____42/ComfyUI');
    assert.equal(wf['11']?.inputs['filename_prefix'], 'comfyrelay/abc____42/anim/ComfyUI');
    assert.equal('filename_prefix' in (wf['10']?.inputs ?? {}), false);
    assert.deepEqual(bound.value.deliver, ['9', '10', '11']);
  });

  it('GIVEN two jobs THEN their prefixes differ', () => {
    const template = templateFor('sd15-ksampler');
    const a = bindWorkflow(template, {}, { jobId: 'a' });
    const b = bindWorkflow(template, {}, { jobId: 'b' });
    assert.ok(a.ok && b.ok);
    assert.notEqual(
      a.value.workflow['9']?.inputs['filename_prefix'],
      b.value.workflow['9']?.inputs['filename_prefix'],
    );
  });
});

describe('bindWorkflow validation', () => {
  const template = templateFor('sd15-ksampler');
  const cases: [string, ParamValues, string, Record<string, unknown>][] = [
    [
      'steps above max',
      { steps: 500 },
      'workflows.param.out_of_range',
      { param: 'steps', min: 1, max: 100, value: 500 },
    ],
    ['a fractional int', { steps: 2.5 }, 'workflows.param.not_integer', { param: 'steps', value: 2.5 }],
    ['text for a number', { cfg: 'lots' }, 'workflows.param.wrong_type', { param: 'cfg', expected: 'float' }],
    [
      'an unknown sampler',
      { sampler: 'magic' },
      'workflows.param.not_a_choice',
      { param: 'sampler', value: 'magic' },
    ],
    ['an unknown parameter', { lora: 'x' }, 'workflows.param.unknown', { param: 'lora' }],
    [
      'a number for the prompt',
      { prompt: 5 },
      'workflows.param.wrong_type',
      { param: 'prompt', expected: 'text' },
    ],
  ];
  for (const [what, values, code, params] of cases) {
    it(`GIVEN ${what} THEN ${code} names the parameter and the allowed values`, () => {
      const bound = bindWorkflow(template, values, { jobId: 'j' });
      assert.ok(!bound.ok);
      assert.equal(bound.error.code, code);
      for (const [k, v] of Object.entries(params)) assert.equal(bound.error.params[k], v, k);
    });
  }

  it('GIVEN a bad sampler THEN the error lists the allowed choices', () => {
    const bound = bindWorkflow(template, { sampler: 'magic' }, { jobId: 'j' });
    assert.ok(!bound.ok);
    assert.match(String(bound.error.params['choices']), /^euler, euler_cfg_pp, /);
  });

  it('GIVEN numeric strings THEN they are accepted as numbers', () => {
    const bound = bindWorkflow(template, { steps: '12', cfg: '6.5' }, { jobId: 'j' });
    assert.ok(bound.ok);
    assert.equal(bound.value.workflow['3']?.inputs['steps'], 12);
    assert.equal(bound.value.workflow['3']?.inputs['cfg'], 6.5);
  });

  it('GIVEN asUser and an operator-only parameter THEN it is refused', () => {
    const bound = bindWorkflow(template, { checkpoint: 'x.safetensors' }, { jobId: 'j', asUser: true });
    assert.ok(!bound.ok);
    assert.equal(bound.error.code, 'workflows.param.not_user_settable');
  });
});
