import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { discordMedia } from '../../../../src/adapters/discord/result-files.ts';
import type { ResultFile } from '../../../../src/core/jobs/ports.ts';

const video = (filename: string, size: number): ResultFile => ({
  node: '9',
  kind: 'video',
  filename,
  mime: 'video/mp4',
  bytes: Buffer.alloc(size, 1),
});

describe('discord: files over the attachment limit', () => {
  const result = {
    files: [video('small.mp4', 10), video('big.mp4', 2048), video('SPOILER_hid.mp4', 2048)],
    texts: [],
  };
  const linkFor = (f: ResultFile) => ({
    url: `https://r.example/files/j/${f.filename}`,
    expiresAt: 1_800_000_000_000,
  });

  it('GIVEN a link maker THEN each file too big is linked (a spoilered one behind a spoiler, without embed) and what fits is attached', async () => {
    const { media, notes } = await discordMedia(result, { sizeLimit: 1024, grid: false, linkFor });
    assert.deepEqual(
      media.others.map((f) => f.filename),
      ['small.mp4'],
    );
    assert.deepEqual(
      notes.map((n) => [n.code, n.params?.['url'], n.params?.['until']]),
      [
        ['discord.tooLargeLink', 'https://r.example/files/j/big.mp4', '<t:1800000000:R>'],
        ['discord.tooLargeLink', '||<https://r.example/files/j/SPOILER_hid.mp4>||', '<t:1800000000:R>'],
      ],
    );
  });

  it('GIVEN no link maker, or one that makes none THEN the note names the file and its size as before', async () => {
    for (const o of [{}, { linkFor: () => undefined }]) {
      const { notes } = await discordMedia(result, { sizeLimit: 1024, grid: false, ...o });
      assert.deepEqual(
        notes.map((n) => [n.code, n.params?.['name'], n.params?.['size']]),
        [
          ['discord.tooLarge', 'big.mp4', '2 KB'],
          ['discord.tooLarge', 'SPOILER_hid.mp4', '2 KB'],
        ],
      );
    }
  });
});
