import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createTranslator } from '../../../src/shared/i18n.ts';
import { workflowsCatalog } from '../../../src/workflows/messages.ts';
import { checkWorkflow } from '../../../src/workflows/check.ts';
import { WorkflowCodes } from '../../../src/workflows/errors.ts';
import { loadTemplates } from '../../../src/workflows/loader.ts';
import { readFixture, readObjectInfo, SHIPPED } from './helpers.ts';

const objectInfo = readObjectInfo();
const t = createTranslator([workflowsCatalog]);

/** The fixture with only what this test backend has installed. */
function installedGraph() {
  const graph = readFixture('sd15-ksampler');
  graph['4']!.inputs['ckpt_name'] = 'tiny-random.safetensors';
  return graph;
}

describe('checkWorkflow', () => {
  it('GIVEN a workflow the backend can run THEN there are no problems', () => {
    assert.deepEqual(checkWorkflow(installedGraph(), objectInfo), []);
  });

  it('GIVEN a checkpoint that is not installed THEN the problem names it and lists the installed ones', () => {
    const problems = checkWorkflow(readFixture('sd15-ksampler'), objectInfo);
    assert.deepEqual(problems, [
      {
        code: WorkflowCodes.badChoice,
        params: {
          node: '4',
          class: 'CheckpointLoaderSimple',
          input: 'ckpt_name',
          value: 'v1-5-pruned-emaonly.safetensors',
          choices: 'tiny-random.safetensors',
        },
        node: '4',
        input: 'ckpt_name',
      },
    ]);
    assert.equal(
      t('en', problems[0]!.code, problems[0]!.params),
      'Node 4 (CheckpointLoaderSimple): "v1-5-pruned-emaonly.safetensors" is not installed for ckpt_name. Installed: tiny-random.safetensors.',
    );
  });

  it('GIVEN a custom node that is not installed THEN the problem names the class', () => {
    const graph = installedGraph();
    graph['20'] = { class_type: 'VHS_VideoCombine', inputs: { images: ['8', 0], frame_rate: 8 } };
    const problems = checkWorkflow(graph, objectInfo);
    assert.deepEqual(problems, [
      { code: WorkflowCodes.unknownNode, params: { node: '20', class: 'VHS_VideoCombine' }, node: '20' },
    ]);
    assert.match(
      t('en', problems[0]!.code, problems[0]!.params),
      /"VHS_VideoCombine".*custom node not installed/,
    );
    assert.match(t('zh', problems[0]!.code, problems[0]!.params), /VHS_VideoCombine.*未安装自定义节点/);
  });

  it('GIVEN a value outside a new-style COMBO THEN the options are listed', () => {
    const graph = installedGraph();
    graph['30'] = {
      class_type: 'LatentBatchSeedBehavior',
      inputs: { samples: ['3', 0], seed_behavior: 'sometimes' },
    };
    const [problem] = checkWorkflow(graph, objectInfo);
    assert.equal(problem?.code, WorkflowCodes.badChoice);
    assert.equal(problem?.params['choices'], 'random, fixed');
  });

  it('GIVEN steps out of range, a missing required input and a dangling link THEN each is reported', () => {
    const graph = installedGraph();
    graph['3']!.inputs['steps'] = 0;
    delete graph['3']!.inputs['cfg'];
    graph['8']!.inputs['vae'] = ['404', 2];
    const codes = checkWorkflow(graph, objectInfo).map((p) => `${p.code}@${p.node}.${p.input}`);
    assert.deepEqual(codes.sort(), [
      'workflows.check.bad_link@8.vae',
      'workflows.check.missing_input@3.cfg',
      'workflows.check.out_of_range@3.steps',
    ]);
  });

  it('GIVEN a LoadImage value not in the list THEN it is not a problem (uploads come later)', () => {
    const graph = readFixture('img2img');
    graph['4']!.inputs['ckpt_name'] = 'tiny-random.safetensors';
    graph['10']!.inputs['image'] = 'just-uploaded.png';
    assert.deepEqual(checkWorkflow(graph, objectInfo), []);
  });

  it('GIVEN the shipped upscale template THEN this backend lacks the upscale-model nodes', async () => {
    const { templates } = await loadTemplates(SHIPPED);
    const upscale = templates.find((x) => x.name === 'upscale-4x')!;
    const classes = checkWorkflow(upscale.graph, objectInfo).map((p) => p.params['class']);
    assert.deepEqual(classes, ['UpscaleModelLoader', 'ImageUpscaleWithModel']);
  });

  it('GIVEN an empty combo list (no LoRA installed) THEN the message says nothing is installed', () => {
    const graph = readFixture('lora-chain');
    graph['4']!.inputs['ckpt_name'] = 'tiny-random.safetensors';
    const problems = checkWorkflow(graph, objectInfo);
    assert.deepEqual(
      problems.map((p) => [p.code, p.node]),
      [
        [WorkflowCodes.noChoicesInstalled, '10'],
        [WorkflowCodes.noChoicesInstalled, '11'],
      ],
    );
  });
});

describe('workflowsCatalog', () => {
  it('GIVEN every workflow code THEN it has an English and a Chinese message', () => {
    for (const code of Object.values(WorkflowCodes)) {
      assert.ok(workflowsCatalog.en[code], `en ${code}`);
      assert.ok(workflowsCatalog.zh[code], `zh ${code}`);
    }
  });
});
