import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { describe, it } from 'node:test';
import { parseBinaryFrame, parseTextFrame } from '../../../src/comfy/protocol.ts';
import { readTrace, TRACES_DIR } from '../../helpers/fixtures.ts';

function frame(type: number, second: number, payload: Uint8Array): Uint8Array {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(type, 0);
  head.writeUInt32BE(second, 4);
  return Buffer.concat([head, payload]);
}

const JPEG = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3]);

describe('binary frames', () => {
  it('GIVEN a type-4 preview with metadata THEN prompt, node and mime come from the metadata', () => {
    const meta = Buffer.from(
      JSON.stringify({
        node_id: '3',
        prompt_id: 'p1',
        display_node_id: '3',
        parent_node_id: null,
        real_node_id: '3',
        image_type: 'image/jpeg',
      }),
    );
    const m = parseBinaryFrame(frame(4, meta.length, Buffer.concat([meta, JPEG])));
    assert.deepEqual(m && { ...m, data: Buffer.from(m.type === 'preview' ? m.data : []) }, {
      type: 'preview',
      promptId: 'p1',
      node: '3',
      mime: 'image/jpeg',
      data: JPEG,
    });
  });

  it('GIVEN a legacy type-1 preview THEN the format number maps to a mime type', () => {
    const jpeg = parseBinaryFrame(frame(1, 1, JPEG));
    const png = parseBinaryFrame(frame(1, 2, JPEG));
    assert.equal(jpeg?.type === 'preview' && jpeg.mime, 'image/jpeg');
    assert.equal(png?.type === 'preview' && png.mime, 'image/png');
    assert.equal(jpeg?.type === 'preview' && jpeg.promptId, undefined);
  });

  it('GIVEN a type-3 text frame THEN node id and text are split', () => {
    const node = Buffer.from('12');
    const m = parseBinaryFrame(frame(3, node.length, Buffer.concat([node, Buffer.from('Result URL: x')])));
    assert.deepEqual(m, { type: 'text', node: '12', text: 'Result URL: x' });
  });

  it('GIVEN truncated, unknown or garbage frames THEN nothing throws and they are ignored', () => {
    assert.equal(parseBinaryFrame(new Uint8Array([0, 0, 0])), undefined);
    assert.equal(parseBinaryFrame(frame(4, 9999, JPEG)), undefined);
    assert.equal(parseBinaryFrame(frame(4, 3, Buffer.from('{x]'))), undefined);
    assert.equal(parseBinaryFrame(frame(2, 0, JPEG)), undefined);
    assert.equal(parseBinaryFrame(frame(77, 0, JPEG)), undefined);
  });
});

describe('text frames recorded from a real server', () => {
  const traces = readdirSync(TRACES_DIR).filter(
    (f) => f.endsWith('.json') && f !== 'object_info_subset.json',
  );
  it('GIVEN every recorded text frame THEN each parses, and prompt events carry their prompt id', () => {
    let count = 0;
    for (const file of traces) {
      for (const e of readTrace(file).events) {
        if (e.kind !== 'ws_recv' || !e.text) continue;
        count++;
        const m = parseTextFrame(JSON.stringify(e.data));
        assert.ok(m, `${file}: frame did not parse: ${JSON.stringify(e.data).slice(0, 120)}`);
        const raw = e.data as { type: string; data: { prompt_id?: string } };
        if (['execution_start', 'execution_success', 'executed', 'execution_error'].includes(raw.type)) {
          assert.equal((m as { promptId?: string }).promptId, raw.data.prompt_id, file);
        }
      }
    }
    assert.ok(count > 100, `expected many recorded frames, saw ${count}`);
  });

  it('GIVEN the bare executing replayed on reconnect THEN it parses without a prompt id', () => {
    assert.deepEqual(parseTextFrame('{"type":"executing","data":{"node":"3"}}'), {
      type: 'executing',
      promptId: undefined,
      node: '3',
      displayNode: undefined,
    });
  });

  it('GIVEN non-JSON or unknown types THEN they are ignored, not thrown', () => {
    assert.equal(parseTextFrame('not json'), undefined);
    assert.deepEqual(parseTextFrame('{"type":"crystools.monitor","data":{}}'), {
      type: 'other',
      rawType: 'crystools.monitor',
    });
  });
});
