import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { loadTemplates } from '../../../src/workflows/loader.ts';
import { parseManifest } from '../../../src/workflows/manifest.ts';
import { FIXTURES, readAllObjectInfo, readFixture } from './helpers.ts';

describe('loadTemplates', () => {
  let dir = '';
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'comfyrelay-workflows-'));
    copyFileSync(join(FIXTURES, 'sd15-ksampler.json'), join(dir, 'good.json'));
    writeFileSync(
      join(dir, 'good.manifest.yaml'),
      'description: { en: Good, zh: 好 }\ntags: [txt2img]\nparameters:\n  prompt: { targets: [{ title: "CLIP Text Encode (Prompt)", input: text }], kind: text, user: true }\n',
    );
    writeFileSync(
      join(dir, 'broken.json'),
      '{"3": {"class_type": "KSampler", "inputs": {"seed": 1,, "steps": 2}}}',
    );
    copyFileSync(join(FIXTURES, 'sd15-ksampler.json'), join(dir, 'missing-node.json'));
    writeFileSync(
      join(dir, 'missing-node.manifest.yaml'),
      'parameters:\n  prompt:\n    targets: [{ node: "66", input: text }]\n    kind: text\n',
    );
    copyFileSync(join(FIXTURES, 'sd15-ksampler.json'), join(dir, 'missing-input.json'));
    writeFileSync(
      join(dir, 'missing-input.manifest.json'),
      JSON.stringify({ parameters: { steps: { targets: [{ node: 3, input: 'stepz' }] } } }),
    );
    copyFileSync(join(FIXTURES, 'sd15-ksampler.json'), join(dir, 'unknown-key.json'));
    writeFileSync(join(dir, 'unknown-key.manifest.yaml'), 'tags: [x]\nparameters:\n  steps: { mni: 1 }\n');
    writeFileSync(join(dir, 'ui-format.json'), JSON.stringify({ nodes: [], links: [], version: 0.4 }));
    writeFileSync(
      join(dir, 'dangling.json'),
      JSON.stringify({ '1': { class_type: 'SaveImage', inputs: { images: ['8', 0] } } }),
    );
    writeFileSync(join(dir, 'orphan.manifest.yaml'), 'tags: []\n');
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('GIVEN one good template among broken ones THEN the good one loads and each broken one is reported', async () => {
    const { templates, errors } = await loadTemplates(dir);
    assert.deepEqual(
      templates.map((t) => t.name),
      ['good'],
    );
    const byFile = (f: string) => errors.filter((e) => e.file === join(dir, f));
    assert.deepEqual(
      byFile('broken.json').map((e) => e.path),
      ['$["3"].inputs.seed'],
    );
    assert.match(byFile('broken.json')[0]!.reason, /^invalid JSON/);
    assert.deepEqual(byFile('missing-node.manifest.yaml'), [
      {
        file: join(dir, 'missing-node.manifest.yaml'),
        path: '$.parameters.prompt.targets[0]',
        reason: 'node 66 does not exist',
      },
    ]);
    assert.match(byFile('missing-input.manifest.json')[0]!.reason, /KSampler#3 has no input "stepz"/);
    assert.deepEqual(byFile('unknown-key.manifest.yaml'), [
      {
        file: join(dir, 'unknown-key.manifest.yaml'),
        path: '$.parameters.steps.mni',
        reason: 'unknown key "mni"',
      },
    ]);
    assert.match(byFile('ui-format.json')[0]!.reason, /no nodes the server would run/);
    assert.deepEqual(
      byFile('dangling.json').map((e) => e.path),
      ['$["1"].inputs.images'],
    );
    assert.match(byFile('orphan.manifest.yaml')[0]!.reason, /no workflow orphan\.json/);
    assert.equal(errors.length, 7);
  });

  it('GIVEN a title target THEN it resolves to the node ids with that title', async () => {
    const { templates } = await loadTemplates(dir);
    assert.deepEqual(templates[0]?.params['prompt']?.targets, [
      { node: '6', input: 'text' },
      { node: '7', input: 'text' },
    ]);
    assert.equal(templates[0]?.description.zh, '好');
  });
});

describe('loadTemplates with UI-format files', () => {
  let dir = '';
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'comfyrelay-workflows-ui-'));
    copyFileSync(join(FIXTURES, 'face-detailer.ui.json'), join(dir, 'detailer.json'));
    copyFileSync(join(FIXTURES, 'stray-keys.json'), join(dir, 'stray.json'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('GIVEN the server /object_info THEN a UI-format file loads as its API-format export would', async () => {
    const { templates, errors } = await loadTemplates(dir, { objectInfo: readAllObjectInfo() });
    assert.deepEqual(errors, []);
    const detailer = templates.find((t) => t.name === 'detailer')!;
    assert.deepEqual(detailer.graph, readFixture('face-detailer'));
    assert.deepEqual(detailer.params['denoise']?.targets, [{ node: '16', input: 'denoise' }]);
    const stray = templates.find((t) => t.name === 'stray')!;
    assert.deepEqual(stray.warnings, [
      '$.comfyrelay_note is not a node (no class_type); skipped',
      '$.version is not a node (no class_type); skipped',
    ]);
  });

  it('GIVEN no /object_info THEN the UI-format file is reported once, naming its nodes; the other one loads', async () => {
    const { templates, errors } = await loadTemplates(dir);
    assert.deepEqual(
      templates.map((t) => t.name),
      ['stray'],
    );
    assert.equal(errors.length, 1);
    assert.equal(errors[0]!.file, join(dir, 'detailer.json'));
    assert.match(
      errors[0]!.reason,
      /^cannot convert this UI-format workflow: node 4 "CheckpointLoaderSimple": /,
    );
    assert.match(errors[0]!.reason, /; and 3 more node\(s\); .*--object-info FILE/);
  });
});

describe('parseManifest', () => {
  it('GIVEN an unknown top-level key THEN it is an error naming the key', () => {
    const m = parseManifest('name: x\nfamliy: sdxl\n', 'yaml');
    assert.ok(!m.ok);
    assert.deepEqual(m.error, [{ path: '$.famliy', reason: 'unknown key "famliy"' }]);
  });

  it('GIVEN a target with both node and title THEN it is an error', () => {
    const m = parseManifest(
      'parameters:\n  prompt: { targets: [{ node: "6", title: P, input: text }] }\n',
      'yaml',
    );
    assert.ok(!m.ok);
    assert.equal(m.error[0]?.path, '$.parameters.prompt.targets[0]');
  });

  it('GIVEN a minimal manifest THEN the defaults are filled and node ids become text', () => {
    const m = parseManifest('outputs: [9, "12"]\nmodels:\n  refiner: { node: 4, family: sdxl }\n', 'yaml');
    assert.ok(m.ok);
    assert.deepEqual(m.value, {
      tags: [],
      discover: true,
      parameters: {},
      outputs: ['9', '12'],
      models: { refiner: { node: '4', family: 'sdxl' } },
    });
  });

  it('GIVEN values of the wrong kind THEN each problem names its path and what was expected', () => {
    const m = parseManifest(
      'tags: tag\nparameters:\n  Steps: { min: "1", kind: slider }\nmodels:\n  ckpt: { node: "1", title: A }\n',
      'yaml',
    );
    assert.ok(!m.ok);
    assert.deepEqual(m.error, [
      { path: '$.tags', reason: 'expected a list, got string' },
      { path: '$.parameters.Steps', reason: 'key must be lower_snake_case' },
      { path: '$.parameters.Steps.min', reason: 'expected a number, got string' },
      { path: '$.parameters.Steps.kind', reason: 'expected one of text, int, float, boolean, choice, image' },
      { path: '$.models.ckpt', reason: 'give node or title, not both' },
    ]);
  });

  it('GIVEN broken YAML THEN the reason says so', () => {
    const m = parseManifest('parameters: [\n', 'yaml');
    assert.ok(!m.ok);
    assert.match(m.error[0]!.reason, /^invalid YAML/);
  });

  it('GIVEN a default outside its bounds THEN buildTemplate refuses it', async () => {
    const { buildTemplate } = await import('../../../src/workflows/template.ts');
    const { readFixture } = await import('./helpers.ts');
    const manifest = parseManifest('parameters:\n  steps: { min: 1, max: 10, default: 50 }\n', 'yaml');
    assert.ok(manifest.ok);
    const built = buildTemplate({
      name: 't',
      file: 't.json',
      graph: readFixture('sd15-ksampler'),
      manifest: manifest.value,
    });
    assert.ok(!built.ok);
    assert.equal(built.error[0]?.path, '$.parameters.steps.default');
  });
});
