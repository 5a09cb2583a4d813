import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { readWorkflow } from '../../../src/workflows/read-workflow.ts';
import type { ApiWorkflow } from '../../../src/workflows/types.ts';
import { readAllObjectInfo, readFixture, readFixtureJson, readObjectInfo } from './helpers.ts';

const all = readAllObjectInfo();
const stock = readObjectInfo();

/** UI-format files ("Save") and their API-format exports ("Save (API Format)") of the same graph. */
const PAIRS = [
  'sd15-primitive-reroute',
  'img2img-bypass',
  'face-detailer',
  'efficient-cr-seed',
  'subgraph',
  'animatediff-vhs',
];

type Doc = { nodes: Record<string, unknown>[]; links: unknown[][] } & Record<string, unknown>;
const ui = (name: string) => structuredClone(readFixtureJson(`${name}.ui`)) as Doc;
const nodeOf = (doc: Doc, id: number) => doc.nodes.find((n) => n['id'] === id)!;

function convert(doc: unknown, objectInfo = all) {
  const read = readWorkflow(doc, objectInfo);
  assert.ok(read.ok, JSON.stringify(!read.ok && read.error));
  assert.equal(read.value.format, 'ui');
  return read.value;
}

function withoutTitles(graph: ApiWorkflow): ApiWorkflow {
  return Object.fromEntries(Object.entries(graph).map(([id, n]) => [id, { ...n, _meta: {} }]));
}

describe('UI format → API format', () => {
  for (const name of PAIRS) {
    it(`GIVEN ${name}.ui.json THEN it converts to exactly its API-format export ${name}.json`, () => {
      const { graph, warnings } = convert(readFixtureJson(`${name}.ui`));
      assert.deepEqual(graph, readFixture(name));
      assert.deepEqual(warnings, []);
    });
  }

  it('GIVEN a file from the current frontend (every widget also an input slot) and no /object_info THEN it still converts', () => {
    const { graph } = convert(readFixtureJson('sd15-primitive-reroute.ui'), undefined);
    assert.deepEqual(withoutTitles(graph), withoutTitles(readFixture('sd15-primitive-reroute')));
    assert.equal(graph['6']?._meta?.title, 'Positive Prompt');
  });

  it('GIVEN an older file without widget names and no /object_info THEN ONE message names the nodes and the way out', () => {
    const read = readWorkflow(readFixtureJson('img2img-bypass.ui'));
    assert.ok(!read.ok);
    assert.equal(read.error.length, 1);
    assert.equal(read.error[0]!.path, '$.nodes');
    assert.match(
      read.error[0]!.reason,
      /^cannot convert this UI-format workflow: node 4 "CheckpointLoaderSimple": /,
    );
    assert.match(
      read.error[0]!.reason,
      /node 3 "KSampler": its 7 widget value\(s\) have no names in the file/,
    );
    assert.match(read.error[0]!.reason, /and 1 more node\(s\); .*--object-info FILE.*"Save \(API Format\)"$/);
  });

  it('GIVEN a custom node the catalogue does not have THEN the message names that node and why', () => {
    const read = readWorkflow(readFixtureJson('face-detailer.ui'), stock);
    assert.ok(!read.ok);
    assert.deepEqual(read.error, [
      {
        path: '$.nodes',
        reason:
          'cannot convert this UI-format workflow: node 17 "UltralyticsDetectorProvider": its 1 widget value(s) have no names in the file and its class is not in /object_info (custom node not installed there?); node 16 "FaceDetailer": its 27 widget value(s) have no names in the file and its class is not in /object_info (custom node not installed there?); export it with "Save (API Format)" instead',
      },
    ]);
  });

  it('GIVEN a group node THEN the message says to convert it to nodes first', () => {
    const doc = ui('img2img-bypass');
    nodeOf(doc, 11)['type'] = 'workflow>Resize';
    nodeOf(doc, 11)['mode'] = 0;
    const read = readWorkflow(doc, stock);
    assert.ok(!read.ok);
    assert.match(
      read.error[0]!.reason,
      /node 11 "workflow>Resize" is a group node; convert it to nodes in ComfyUI first/,
    );
  });

  it('GIVEN a subgraph node whose definition is missing THEN the message says so', () => {
    const doc = ui('subgraph');
    doc['definitions'] = { subgraphs: [] };
    const read = readWorkflow(doc, stock);
    assert.ok(!read.ok);
    assert.match(
      read.error[0]!.reason,
      /node 10 "f3a9c2e1-7b4d-4e8a-9c1f-2d6b8e0a4c57" is a subgraph whose definition is missing from the file/,
    );
  });

  it('GIVEN an editor-only custom node without links THEN it is left out with a warning', () => {
    const doc = ui('img2img-bypass');
    doc.nodes.push({
      id: 40,
      type: 'Fast Groups Bypasser (rgthree)',
      mode: 0,
      outputs: [],
      widgets_values: [],
    });
    const { graph, warnings } = convert(doc, stock);
    assert.deepEqual(graph, readFixture('img2img-bypass'));
    assert.deepEqual(warnings, [
      'node 40 "Fast Groups Bypasser (rgthree)" is not in /object_info and has no links; left out as an editor-only node',
    ]);
  });

  it('GIVEN a muted source THEN a link input is dropped and a converted widget keeps its saved value', () => {
    const doc = ui('sd15-primitive-reroute');
    nodeOf(doc, 11)['mode'] = 2;
    nodeOf(doc, 5)['mode'] = 2;
    const { graph } = convert(doc, stock);
    assert.equal(graph['3']?.inputs['seed'], 123456789);
    assert.equal('latent_image' in (graph['3']?.inputs ?? {}), false);
    assert.equal(graph['5'], undefined);
  });

  it('GIVEN fewer saved values than widgets THEN defaults fill in, with a warning; extra values are ignored, with a warning', () => {
    const short = ui('img2img-bypass');
    nodeOf(short, 3)['widgets_values'] = [1, 'fixed', 20, 8, 'euler', 'normal'];
    const a = convert(short, stock);
    assert.equal(a.graph['3']?.inputs['denoise'], 1);
    assert.deepEqual(a.warnings, [
      'node 3 "KSampler": "denoise" is missing from the saved values; its default 1 is used',
    ]);
    const long = ui('img2img-bypass');
    nodeOf(long, 9)['widgets_values'] = ['img2img', 'leftover'];
    const b = convert(long, stock);
    assert.deepEqual(b.graph, readFixture('img2img-bypass'));
    assert.deepEqual(b.warnings, [
      'node 9 "SaveImage": 1 widget value(s) after its 1 declared widgets were ignored',
    ]);
  });

  it('GIVEN a seed widget saved without its "control after generate" value THEN the next value is not skipped', () => {
    const doc = ui('img2img-bypass');
    nodeOf(doc, 3)['widgets_values'] = [156680208700286, 20, 8, 'euler', 'normal', 0.6];
    assert.deepEqual(convert(doc, stock).graph, readFixture('img2img-bypass'));
  });

  it('GIVEN a widget promoted onto a subgraph node THEN its value lands on the input inside', () => {
    const doc = ui('subgraph');
    const instance = nodeOf(doc, 10);
    const inputs = instance['inputs'] as Record<string, unknown>[];
    inputs.push({ name: 'seed', type: 'INT', widget: { name: 'seed' }, link: null });
    instance['widgets_values'] = [777];
    const def = (doc['definitions'] as { subgraphs: Record<string, unknown>[] }).subgraphs[0]!;
    (def['inputs'] as Record<string, unknown>[]).push({
      id: 'in-5',
      name: 'seed',
      type: 'INT',
      linkIds: [8],
    });
    (def['links'] as Record<string, unknown>[]).push({
      id: 8,
      origin_id: -10,
      origin_slot: 5,
      target_id: 1,
      target_slot: 4,
      type: 'INT',
    });
    const sampler = (def['nodes'] as Record<string, unknown>[])[0]!;
    (sampler['inputs'] as Record<string, unknown>[]).push({
      name: 'seed',
      type: 'INT',
      widget: { name: 'seed' },
      link: 8,
    });
    assert.equal(convert(doc, stock).graph['10:1']?.inputs['seed'], 777);
  });
});

describe('readWorkflow on API-format files', () => {
  it('GIVEN {"prompt": {...}, "client_id": …} THEN the prompt is the graph', () => {
    const read = readWorkflow(readFixtureJson('wrapped-prompt'));
    assert.ok(read.ok);
    assert.deepEqual(read.value, { graph: readFixture('sd15-ksampler'), format: 'api', warnings: [] });
  });

  it('GIVEN keys that are not nodes THEN each is skipped with a warning naming it', () => {
    const read = readWorkflow(readFixtureJson('stray-keys'));
    assert.ok(read.ok);
    assert.deepEqual(read.value.graph, readFixture('sd15-ksampler'));
    assert.deepEqual(read.value.warnings, [
      '$.comfyrelay_note is not a node (no class_type); skipped',
      '$.version is not a node (no class_type); skipped',
    ]);
  });

  it('GIVEN a node object without a class_type THEN it is still an error, not skipped', () => {
    const read = readWorkflow({ '1': { inputs: { images: 'x' } } });
    assert.ok(!read.ok);
    assert.deepEqual(read.error, [
      { path: '$["1"].class_type', reason: 'expected the node class name (a string)' },
    ]);
  });
});
