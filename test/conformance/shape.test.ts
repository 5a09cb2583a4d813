import assert from 'node:assert/strict';
import { test } from 'node:test';
import { compareShape } from './shape.ts';

test('identical shapes with different values match', () => {
  const recorded = {
    prompt_id: 'a',
    number: 2,
    node_errors: {},
    nodes: { '3': { value: 1, state: 'running' } },
  };
  const actual = {
    prompt_id: 'b',
    number: -5,
    node_errors: {},
    nodes: { '9': { value: 0, state: 'finished' } },
  };
  assert.deepEqual(compareShape(recorded, actual), []);
});

test('a missing key, an extra key and a changed type are all reported', () => {
  const recorded = { prompt_id: 'a', number: 2, node_errors: {} };
  const actual = { prompt_id: 7, node_errors: {}, extra: true };
  const paths = compareShape(recorded, actual).map((m) => m.path);
  assert.deepEqual(paths.sort(), ['$.extra', '$.number', '$.prompt_id']);
});

test('nested mismatches inside id maps and arrays are found', () => {
  const recorded = { '3': { errors: [{ type: 'x', extra_info: { input_name: 'seed' } }] } };
  const actual = { '8': { errors: [{ type: 'x', extra_info: { input_name: 1 } }] } };
  assert.equal(compareShape(recorded, actual).length, 1);
});

test('tuples of a different length do not match', () => {
  assert.notDeepEqual(compareShape([1, 'id', {}, {}, []], [1, 'id', {}, {}]), []);
  assert.deepEqual(compareShape(['4', 1], ['9', 0]), []);
});

test('null and object are different shapes', () => {
  assert.equal(compareShape({ output: { images: [] } }, { output: null }).length, 1);
});
