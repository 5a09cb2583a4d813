import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { captionParts, captionText } from '../../../../src/core/chat/caption.ts';
import { withDerivation } from '../../../../src/core/chat/job-labels.ts';
import { quotaLines } from '../../../../src/core/chat/report-lines.ts';
import { statusText } from '../../../../src/core/chat/status-text.ts';
import '../../../../src/core/i18n/catalogs.ts';
import type { JobRecord, JobState, JobUpdate } from '../../../../src/core/jobs/types.ts';
import type { QuotaUsage } from '../../../../src/core/quota/types.ts';

const job = (state: JobState, extra: Partial<JobRecord> = {}): JobRecord =>
  ({
    id: 'abcdefghij',
    seed: 42,
    state,
    request: { template: 'sd15-txt2img', prompt: 'a lighthouse', values: { steps: 20 } },
    owner: { platform: 'discord', userId: '1', displayName: 'Alice' },
    delivery: { platform: 'discord' },
    ...extra,
  }) as unknown as JobRecord;

const say = (u: Omit<JobUpdate, 'job'> & { job: JobRecord }, locale: 'en' | 'zh' = 'en') =>
  statusText(u, locale);

describe('status text: waiting says what is true', () => {
  it('GIVEN a place and no measured time THEN it says it is estimating, not a guess', () => {
    const text = say({ job: job('queued'), position: 2 });
    assert.match(text, /#3/);
    assert.match(text, /estimating the wait/);
    assert.doesNotMatch(text, /about/);
  });

  it('GIVEN a measured ETA THEN it shows it, in Chinese too', () => {
    assert.match(say({ job: job('queued'), position: 0, etaMs: 40_000 }), /#1, about 40 s to go/);
    assert.match(say({ job: job('queued'), position: 0, etaMs: 40_000 }, 'zh'), /第 1 位，预计还需 40 秒/);
  });

  it('GIVEN a job sent to ComfyUI that has not started THEN it never says "Starting"', () => {
    assert.match(say({ job: job('dispatched') }), /Sent to the GPU, waiting for it to start/);
    assert.match(say({ job: job('dispatched'), position: 2 }), /2 ahead of it there/);
    assert.doesNotMatch(say({ job: job('dispatched'), position: 2 }), /Starting/);
  });

  it('GIVEN ComfyUI started the prompt THEN "Starting…" until there is progress, then a bar', () => {
    assert.match(say({ job: job('running') }), /Starting…/);
    const running = say({ job: job('running'), progress: { fraction: 0.5, step: 10, steps: 20 } });
    assert.match(running, /▰+▱+ 50% · step 10\/20/);
    assert.doesNotMatch(running, /Starting/);
  });

  it('GIVEN notes THEN they follow the state line', () => {
    const text = statusText({ job: job('queued'), position: 0 }, 'en', [
      { code: 'chat.status.otherRunning' },
    ]);
    assert.match(text, /#1[^\n]*\nYour other job is running/);
  });
});

describe('status text: endings for people', () => {
  it('GIVEN a canceled job THEN it says "Canceled" once', () => {
    const text = say({ job: job('canceled', { error: { code: 'jobs.canceled' } }) });
    assert.equal(text.split('\n').at(-1), 'Canceled');
  });

  it('GIVEN a ComfyUI error THEN the person reads no node class, no exception, no file', () => {
    const error = {
      code: 'jobs.failedInNode',
      params: { node: 'KSampler', nodeId: '3', type: 'RuntimeError', reason: 'model.safetensors missing' },
    };
    const text = say({ job: job('failed', { error }) });
    assert.match(text, /Failed: Something went wrong on the GPU server/);
    assert.doesNotMatch(text, /KSampler|RuntimeError|safetensors/);
  });

  it('GIVEN out of memory THEN the hint stays and the node does not show', () => {
    const text = say({
      job: job('failed', { error: { code: 'jobs.outOfMemory', params: { node: 'VAEDecode' } } }),
    });
    assert.match(text, /smaller size/);
    assert.doesNotMatch(text, /VAEDecode/);
  });
});

describe('labels and languages', () => {
  const variation = job('succeeded', {
    delivery: withDerivation({ platform: 'telegram' }, { kind: 'variation', of: 'zyxwvutsrq', index: 2 }),
    startedAt: 1000,
    finishedAt: 1600,
  });

  it('GIVEN a variation THEN its status and caption say what it came from', () => {
    assert.match(say({ job: { ...variation, state: 'running' } }), /^Variation 2 of job zyxwvutsrq\n/);
    assert.match(captionText(variation, 'en', 1024), /^Variation 2 of job zyxwvutsrq\na lighthouse/);
    const reroll = job('queued', {
      delivery: withDerivation({ platform: 'discord' }, { kind: 'reroll', of: 'zyxwvutsrq' }),
    });
    assert.match(say({ job: reroll }, 'zh'), /任务 zyxwvutsrq 的重新生成/);
  });

  it('GIVEN zh THEN the time reads "0.6 秒" and the built-in tier is translated', () => {
    assert.equal(captionParts(variation, 'zh').time, '0.6 秒');
    assert.match(captionParts(variation, 'zh').details, /0\.6 秒$/);
    const usage = {
      key: 'k',
      tier: 'default',
      unlimited: false,
      running: { used: 0, limit: 1 },
      waiting: { used: 0, limit: 2 },
    } as QuotaUsage;
    assert.equal(quotaLines(usage, 'zh')[0]?.params?.['tier'], '默认');
    assert.equal(quotaLines({ ...usage, tier: 'patron' }, 'zh')[0]?.params?.['tier'], 'patron');
  });
});
