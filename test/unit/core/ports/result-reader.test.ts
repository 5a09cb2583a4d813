import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { JobRecord } from '../../../../src/core/jobs/types.ts';
import { resultReader } from '../../../../src/core/ports/result-reader.ts';

type FileRef = { filename: string; subfolder: string; type: string };

/** A backend holding files by name: each read is recorded; `down` makes every read fail. */
function backend(files: Record<string, string>, down = false) {
  const reads: FileRef[] = [];
  return {
    reads,
    client: {
      async viewBytes(ref: FileRef) {
        reads.push(ref);
        if (down) throw new Error('connect ECONNREFUSED');
        const text = files[ref.filename];
        if (text === undefined) throw new Error(`404 ${ref.filename}`);
        return Buffer.from(text);
      },
    },
  };
}

const job = (backendName: string | undefined): JobRecord =>
  ({
    id: 'j1',
    backend: backendName,
    outputs: [
      { node: '9', kind: 'image', filename: 'a.png', type: 'output' },
      { node: '8', kind: 'image', filename: 'preview.png', type: 'temp' },
      { node: '9', kind: 'image', filename: 'b.webp', subfolder: 'x', type: 'output' },
      { node: '7', kind: 'text', text: 'a caption' },
    ],
  }) as JobRecord;

describe('resultReader', () => {
  it('GIVEN the backend that ran the job THEN read gives its files and texts, image(2) the second saved one', async () => {
    const gpu = backend({ 'a.png': 'A', 'preview.png': 'P', 'b.webp': 'B' });
    const reader = resultReader({ get: (name) => (name === 'gpu1' ? gpu : undefined) });

    const read = await reader.read(job('gpu1'));
    assert.ok(read.ok);
    assert.deepEqual(
      read.value.files.map((f) => [f.filename, f.mime, f.bytes.toString()]),
      [
        ['a.png', 'image/png', 'A'],
        ['preview.png', 'image/png', 'P'],
        ['b.webp', 'image/webp', 'B'],
      ],
    );
    assert.deepEqual(read.value.texts, [{ node: '7', text: 'a caption' }]);

    gpu.reads.length = 0;
    const second = await reader.image(job('gpu1'), 2);
    assert.ok(second.ok);
    assert.equal(Buffer.from(second.value.bytes).toString(), 'B');
    assert.equal(second.value.mime, 'image/webp');
    assert.deepEqual(
      gpu.reads,
      [{ filename: 'b.webp', subfolder: 'x', type: 'output' }],
      'only that file is read',
    );
  });

  it('GIVEN a job whose backend is no longer configured THEN both answer results.unavailable', async () => {
    const reader = resultReader({ get: () => undefined });
    const unavailable = { ok: false, error: { code: 'results.unavailable', params: { id: 'j1' } } };
    assert.deepEqual(await reader.read(job('gone')), unavailable);
    assert.deepEqual(await reader.image(job('gone'), 1), unavailable);
    assert.deepEqual(await reader.read(job(undefined)), unavailable);
  });

  it('GIVEN a backend that does not answer THEN results.unavailable, not a throw', async () => {
    const reader = resultReader({ get: () => backend({}, true) });
    const read = await reader.read(job('gpu1'));
    assert.equal(!read.ok && read.error.code, 'results.unavailable');
    const image = await reader.image(job('gpu1'), 1);
    assert.equal(!image.ok && image.error.code, 'results.unavailable');
  });

  it('GIVEN an index past the saved images THEN chat.noImage, and nothing is read', async () => {
    const gpu = backend({ 'a.png': 'A' });
    const reader = resultReader({ get: () => gpu });
    assert.deepEqual(await reader.image(job('gpu1'), 3), {
      ok: false,
      error: { code: 'chat.noImage', params: { id: 'j1', index: 3 } },
    });
    assert.deepEqual(gpu.reads, []);
  });
});
