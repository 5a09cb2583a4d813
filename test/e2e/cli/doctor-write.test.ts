import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { writeModelChanges } from '../../../src/cli/doctor-write.ts';

const dir = mkdtempSync(join(tmpdir(), 'comfyrelay-doctor-write-'));
const changes = {
  defaults: [{ template: 'sd15-txt2img', slot: 'checkpoint', file: 'dreamshaper_8.safetensors' }],
  families: [{ family: 'sd15', file: 'dreamshaper_8.safetensors' }],
};

function write(name: string, text: string | undefined): string {
  const file = join(dir, name);
  if (text !== undefined) writeFileSync(file, text);
  const done = writeModelChanges(file, changes);
  assert.ok(done.ok, JSON.stringify(done));
  return readFileSync(file, 'utf8');
}

describe('doctor --fix writing the configuration file', () => {
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('GIVEN a commented file with a families list THEN the file is edited in place: comments, order and the list kept', () => {
    const text = [
      '# my ComfyRelay',
      'backends:',
      '  - url: http://gpu:8188 # the big one',
      'models:',
      '  families:',
      '    sd15: [realisticVision_v51.safetensors] # mine',
      'logLevel: info # quiet',
      '',
    ].join('\n');
    assert.equal(
      write('commented.yaml', text),
      [
        '# my ComfyRelay',
        'backends:',
        '  - url: http://gpu:8188 # the big one',
        'models:',
        '  families:',
        '    sd15: [ realisticVision_v51.safetensors, dreamshaper_8.safetensors ] # mine',
        '  defaults:',
        '    sd15-txt2img:',
        '      checkpoint: dreamshaper_8.safetensors',
        'logLevel: info # quiet',
        '',
      ].join('\n'),
    );
  });

  it('GIVEN an empty models: key, or no file at all THEN the section is made', () => {
    const expected = [
      'models:',
      '  defaults:',
      '    sd15-txt2img:',
      '      checkpoint: dreamshaper_8.safetensors',
      '  families:',
      '    sd15:',
      '      - dreamshaper_8.safetensors',
      '',
    ];
    assert.equal(write('empty.yaml', 'models:\n'), expected.join('\n'));
    assert.equal(write('new.yaml', undefined), expected.join('\n'));
  });

  it('GIVEN a file that is not a mapping THEN nothing is written, and why', () => {
    const file = join(dir, 'list.yaml');
    writeFileSync(file, '- a\n- b\n');
    assert.deepEqual(writeModelChanges(file, changes), {
      ok: false,
      error: 'the file does not hold a mapping',
    });
    assert.equal(readFileSync(file, 'utf8'), '- a\n- b\n');
  });
});
