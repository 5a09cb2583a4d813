import assert from 'node:assert/strict';
import { test } from 'node:test';
import { mimeOf } from '../../../../src/core/jobs/read-result.ts';

test('GIVEN the audio and video files ComfyUI nodes save THEN each gets its media type, whatever the case of its extension', () => {
  const cases: [string, string][] = [
    ['ComfyUI_00001_.opus', 'audio/ogg'],
    ['speech.OPUS', 'audio/ogg'],
    ['clip.m4a', 'audio/mp4'],
    ['clip.aac', 'audio/aac'],
    ['render.mov', 'video/quicktime'],
    ['render.mkv', 'video/x-matroska'],
    ['render.m4v', 'video/mp4'],
    ['anim.apng', 'image/apng'],
    ['a.flac', 'audio/flac'],
    ['a.png', 'image/png'],
  ];
  for (const [name, mime] of cases) assert.equal(mimeOf(name), mime, name);
});

test('GIVEN a name without a known extension THEN it is application/octet-stream', () => {
  assert.equal(mimeOf('notes.txt.bin'), 'application/octet-stream');
  assert.equal(mimeOf('noextension'), 'application/octet-stream');
});
