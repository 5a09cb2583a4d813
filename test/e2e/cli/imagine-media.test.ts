import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { extname } from 'node:path';
import { after, describe, it } from 'node:test';
import { type FakeComfy, startFakeComfy } from '../../fakes/comfy/index.ts';
import { MEDIA_EXPECTED, MEDIA_TEMPLATE, writeMediaTemplate } from '../../helpers/media-workflow.ts';
import { cleanUp, runCli, SD15_CHECKPOINT, workspace } from './helpers.ts';

describe('comfyrelay imagine: animations, videos and audio', () => {
  const fakes: FakeComfy[] = [];
  after(async () => {
    cleanUp();
    await Promise.all(fakes.map((f) => f.close()));
  });

  it('GIVEN a template saving WebP animation, WebM, MP4 and FLAC THEN each file is saved with its own extension and bytes', async () => {
    const f = await startFakeComfy({ models: { checkpoints: [SD15_CHECKPOINT] }, stepDelayMs: 1 });
    fakes.push(f);
    const ws = workspace([], [f.url]);
    writeMediaTemplate(ws.workflows);
    const r = await runCli(
      [
        'imagine',
        'a fox --seed 9',
        '--workflow',
        MEDIA_TEMPLATE,
        '--json',
        '--out',
        ws.out,
        '--config',
        ws.config,
      ],
      { cwd: ws.dir },
    );
    assert.equal(r.code, 0, r.stderr);
    const result = JSON.parse(r.stdout) as { seed: number; files: string[] };
    assert.deepEqual(
      result.files.map((p) => extname(p)),
      MEDIA_EXPECTED.map((e) => e.ext),
    );
    for (const [i, e] of MEDIA_EXPECTED.entries()) {
      const bytes = readFileSync(result.files[i]!);
      assert.equal(bytes.subarray(0, e.magic.length).toString('latin1'), e.magic, `${e.ext} content`);
    }
    assert.ok(
      result.files.every((p) => p.includes('_9_')),
      'the seed travels with every file',
    );
  });
});
