import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ResultFile } from '../../../../src/core/jobs/ports.ts';
import { Metrics } from '../../../../src/core/metrics.ts';
import {
  DEFAULT_SAFETY_SETTINGS,
  resolvePlaceSafety,
  type SafetyAuditRecord,
  type SafetyPlace,
  type SafetySettings,
  type SafetyVerdict,
  safetyAuditEntry,
  screenResult,
  scoredVerdict,
  scriptedClassifier,
  unknownVerdict,
} from '../../../../src/core/safety/index.ts';
import { shapes } from './images.ts';

const image = async (name: string): Promise<ResultFile> => ({
  node: '9',
  kind: 'image',
  filename: name,
  mime: 'image/png',
  bytes: await shapes(96, 64),
});

const video = (): ResultFile => ({
  node: '3',
  kind: 'video',
  filename: 'clip.mp4',
  mime: 'video/mp4',
  bytes: Buffer.from('x'),
});

/** Each file's verdict is scripted by its name: no real image is ever unsafe in these tests. */
function setup(verdicts: Record<string, SafetyVerdict>, settings: Partial<SafetySettings> = {}) {
  const byBytes = new Map<Uint8Array, SafetyVerdict>();
  const classifier = scriptedClassifier((bytes) => byBytes.get(bytes) ?? scoredVerdict({ neutral: 1 }));
  const audits: SafetyAuditRecord[] = [];
  const metrics = new Metrics();
  const run = async (files: ResultFile[], where: SafetyPlace) => {
    for (const f of files) if (verdicts[f.filename]) byBytes.set(f.bytes, verdicts[f.filename]!);
    return screenResult(
      { classifier, metrics, audit: (r) => void audits.push(r), now: () => 1_700_000_000_000 },
      {
        jobId: 'job1',
        result: { files, texts: [] },
        place: resolvePlaceSafety({ ...DEFAULT_SAFETY_SETTINGS, ...settings }, undefined, where),
        where: { platform: 'discord', communityId: 'g1', channelId: 'c1' },
      },
    );
  };
  return { classifier, audits, metrics, run };
}

describe('screenResult', () => {
  it('GIVEN an explicit image and a neutral one in an ordinary channel THEN the explicit one is blurred, the other posted, both audited', async () => {
    const s = setup({ 'bad.png': scoredVerdict({ porn: 0.9 }) });
    const out = await s.run([await image('ok.png'), await image('bad.png')], { ageRestricted: false });
    assert.deepEqual(
      out.map((f) => [f.file.filename, f.rule, f.action, !!f.blurred]),
      [
        ['ok.png', 'none', 'allow', false],
        ['bad.png', 'explicit', 'blur', true],
      ],
    );
    assert.deepEqual(
      s.audits.map((a) => [a.jobId, a.output, a.action, a.place.adult, a.scores?.porn]),
      [
        ['job1', 0, 'allow', false, 0],
        ['job1', 1, 'blur', false, 0.9],
      ],
    );
    const text = await s.metrics.registry.metrics();
    assert.match(text, /comfyrelay_safety_actions_total\{action="blur"\} 1/);
    assert.match(text, /comfyrelay_safety_images_classified_total\{verdict="scored"\} 2/);
    assert.match(text, /comfyrelay_safety_classify_seconds_count 2/);
  });

  it('GIVEN the same explicit image in an age-restricted channel THEN it is posted', async () => {
    const s = setup({ 'bad.png': scoredVerdict({ hentai: 0.95 }) });
    const out = await s.run([await image('bad.png')], { ageRestricted: true });
    assert.deepEqual([out[0]!.rule, out[0]!.action], ['explicit', 'allow']);
  });

  it('GIVEN the classifier timed out THEN blurred in an ordinary channel, posted in an adult one', async () => {
    const s = setup({ 'x.png': unknownVerdict('timeout') });
    const [ordinary] = await s.run([await image('x.png')], { ageRestricted: false });
    const [adult] = await s.run([await image('x.png')], { ageRestricted: true });
    assert.deepEqual([ordinary!.rule, ordinary!.action, adult!.action], ['unknown', 'blur', 'allow']);
    assert.equal(s.audits[0]!.unknown, 'timeout');
    assert.match(await s.metrics.registry.metrics(), /verdict="timeout"\} 2/);
  });

  it('GIVEN a video where images are blurred THEN by default it is spoilered (rule unknown), never blurred', async () => {
    const s = setup({ 'clip.mp4': unknownVerdict('unsupported', 'video/mp4') });
    const [out] = await s.run([video()], { ageRestricted: false });
    assert.deepEqual([out!.rule, out!.action, out!.blurred], ['unknown', 'spoiler', undefined]);
    assert.equal(s.audits[0]!.action, 'spoiler');
  });

  it('GIVEN a video with safety.unclassifiable block THEN it is blocked outside adult places, posted in them', async () => {
    const s = setup({ 'clip.mp4': unknownVerdict('unsupported', 'video/mp4') }, { unclassifiable: 'block' });
    const [ordinary] = await s.run([video()], { ageRestricted: false });
    const [adult] = await s.run([video()], { ageRestricted: true });
    assert.deepEqual([ordinary!.action, adult!.action], ['block', 'allow']);
  });

  it('GIVEN an audio file THEN it is passed without a classification or an audit', async () => {
    const s = setup({});
    const audio: ResultFile = {
      node: '4',
      kind: 'audio',
      filename: 'a.flac',
      mime: 'audio/flac',
      bytes: Buffer.from('x'),
    };
    const [out] = await s.run([audio], { ageRestricted: false });
    assert.deepEqual([out!.action, out!.verdict], ['allow', undefined]);
    assert.equal(s.classifier.calls.length, 0);
    assert.equal(s.audits.length, 0);
  });

  it('GIVEN the audit store fails THEN the decision still comes back and the failure is reported', async () => {
    const reported: unknown[] = [];
    const [out] = await screenResult(
      {
        classifier: scriptedClassifier({ porn: 0.9 }),
        audit: () => Promise.reject(new Error('disk full')),
        onAuditError: (e) => reported.push(e),
      },
      {
        jobId: 'j',
        result: { files: [await image('a.png')], texts: [] },
        place: resolvePlaceSafety({ ...DEFAULT_SAFETY_SETTINGS, action: 'block' }, undefined, {
          ageRestricted: false,
        }),
        where: { platform: 'telegram' },
      },
    );
    assert.equal(out!.action, 'block');
    assert.equal((reported[0] as Error).message, 'disk full');
  });
});

describe('safety audit entry', () => {
  it('GIVEN a decision THEN an audit-log entry naming the output, with rounded scores and no image', async () => {
    const s = setup({ 'bad.png': scoredVerdict({ porn: 0.912345678 }) });
    await s.run([await image('bad.png')], { ageRestricted: false });
    const entry = safetyAuditEntry(s.audits[0]!);
    assert.equal(entry.actor, 'system:safety');
    assert.equal(entry.action, 'safety.blur');
    assert.equal(entry.target, 'job1#0');
    assert.equal((entry.details as { scores: { porn: number } }).scores.porn, 0.9123);
    assert.ok(JSON.stringify(entry).length < 600, 'an audit entry holds no image bytes');
  });
});
