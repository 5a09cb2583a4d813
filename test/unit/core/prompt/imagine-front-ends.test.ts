import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Message } from 'telegraf/types';
import { commandByName } from '../../../../commands/index.ts';
import { imagineOptions } from '../../../../commands/imagine.ts';
import { slashOptions } from '../../../../src/adapters/discord/to-invocation.ts';
import { imagineRequestOf as httpRequestOf } from '../../../../src/adapters/http/relay-imagine.ts';
import {
  commandOf,
  parseOptions,
  placeOf,
  requesterOf,
} from '../../../../src/adapters/telegram/to-invocation.ts';
import { imagineRequestOf as cliRequestOf, parseImagineArgs } from '../../../../src/cli/imagine-args.ts';
import type { JobRequest } from '../../../../src/core/jobs/types.ts';
import { type ImagineRequest, planImagine } from '../../../../src/core/prompt/index.ts';
import { ctx, png, request } from './imagine-fixtures.ts';

/**
 * Every front end's translation (platform payload → pipeline input), then the pipeline: the same
 * request must give the same job requests everywhere. The request: an img2img template with an
 * input image, a negative prompt, 4 steps, seed 41 and `--n 3` (the template has no batch parameter).
 */
const image = { bytes: png, name: 'photo.png' };
const spec = commandByName('imagine')!;

/** What the pipeline makes of it, written once as flags; the expected three repeats. */
async function reference(): Promise<JobRequest[]> {
  const r = await planImagine(
    ctx,
    request('a fox --negative blur --workflow sd15-img2img --steps 4 --seed 41 --n 3', { image }),
  );
  assert.ok(r.ok, JSON.stringify(!r.ok && r.error));
  assert.deepEqual(
    r.value.requests.map((q) => [q.template, q.prompt, q.negative, q.seed, q.values['steps']]),
    [41, 42, 43].map((seed) => ['sd15-img2img', 'a fox', 'blur', seed, 4]),
  );
  return r.value.requests;
}

async function requestsOf(req: ImagineRequest): Promise<JobRequest[]> {
  const r = await planImagine(ctx, req);
  assert.ok(r.ok, JSON.stringify(!r.ok && r.error));
  return r.value.requests;
}

/** How a chat command reaches the pipeline: `ImagineInput` from the command, the place's policy from storage. */
function chatRequest(text: string, options: Record<string, string | number | boolean | undefined>) {
  return request(text, { options: imagineOptions(options), image });
}

describe('one /imagine on every front end', () => {
  it('GIVEN Discord slash options (typed workflow, negative, seed, count) THEN the same three job requests', async () => {
    const raw: Record<string, string | number> = {
      prompt: 'a fox --steps 4',
      negative: 'blur',
      workflow: 'sd15-img2img',
      seed: 41,
      count: 3,
    };
    const options = slashOptions(spec, (name) => raw[name]);
    assert.deepEqual(imagineOptions(options), {
      negative: 'blur',
      template: 'sd15-img2img',
      seed: 41,
      count: 3,
    });
    assert.deepEqual(await requestsOf(chatRequest(String(options['prompt']), options)), await reference());
  });

  it('GIVEN typed Discord options and the same flags in the text THEN the typed values win', async () => {
    const raw: Record<string, string | number> = {
      prompt: 'a fox --steps 4 --seed 7 --n 2 --workflow sd15-txt2img --negative rain',
      negative: 'blur',
      workflow: 'sd15-img2img',
      seed: 41,
      count: 3,
    };
    const options = slashOptions(spec, (name) => raw[name]);
    assert.deepEqual(await requestsOf(chatRequest(String(options['prompt']), options)), await reference());
  });

  it('GIVEN a Telegram caption /imagine with flags THEN the same three job requests', async () => {
    const text = '/imagine@relay_bot a fox --negative blur --workflow sd15-img2img --steps 4 --seed 41 --n 3';
    const msg = {
      message_id: 5,
      date: 0,
      chat: { id: -100, type: 'supergroup', title: 'G' },
      caption: text,
      caption_entities: [{ type: 'bot_command', offset: 0, length: '/imagine@relay_bot'.length }],
      photo: [],
    } as unknown as Message;
    const command = commandOf(msg, 'relay_bot', 'supergroup', false);
    assert.equal(command?.name, 'imagine');
    const { options, text: rest } = parseOptions(spec, command!.text);
    const from = { id: 9, is_bot: false, first_name: 'Ada' };
    const req = {
      ...chatRequest(rest, options),
      requester: requesterOf(from, msg.chat),
      place: placeOf(msg.chat),
    };
    assert.deepEqual(await requestsOf(req), await reference());
  });

  it('GIVEN an HTTP relay body (grammar text, typed template, negative and seed) THEN the same three job requests', async () => {
    const body = { prompt: 'a fox --steps 4 --n 3', template: 'sd15-img2img', negative: 'blur', seed: 41 };
    const req = httpRequestOf(body, { platform: 'http', userId: 'key1' }, image);
    assert.deepEqual(await requestsOf(req), await reference());
    const asParams = httpRequestOf(
      { prompt: 'a fox --n 3', template: 'sd15-img2img', params: { steps: 4, negative: 'blur', seed: 41 } },
      { platform: 'http', userId: 'key1' },
      image,
    );
    assert.deepEqual(await requestsOf(asParams), await reference());
  });

  it('GIVEN a command line THEN the same three job requests', async () => {
    const args = parseImagineArgs([
      'a fox',
      '--negative',
      'blur',
      '--workflow',
      'sd15-img2img',
      '--steps',
      '4',
      '--seed',
      '41',
      '--n',
      '3',
      '--image',
      'photo.png',
    ]);
    assert.ok(args.ok);
    const req = cliRequestOf(args.value.line, image, { platform: 'cli', userId: 'op' });
    assert.deepEqual(await requestsOf(req), await reference());
  });
});
