/** Runs one Bot API call: logs it, applies injected faults, runs the method, builds the envelope. */
import type { FakeClock } from './clock.ts';
import { Fail, Rules, TelegramFailure } from './errors.ts';
import type { Faults } from './faults.ts';
import type { FileStore } from './files.ts';
import { METHODS, type FakeSettings, type MethodContext } from './methods/index.ts';
import type { ParsedCall } from './parse.ts';
import type { CallRecord, FakeState, Json } from './state.ts';
import type { UpdateQueue } from './updates.ts';

export interface Answer {
  status: number;
  body: Json;
}

export type Dispatcher = (
  method: string,
  parse: () => Promise<ParsedCall>,
  via: CallRecord['via'],
  signal: AbortSignal,
) => Promise<Answer>;

export interface DispatchDeps {
  state: FakeState;
  store: FileStore;
  updates: UpdateQueue;
  faults: Faults;
  clock: FakeClock;
  settings: FakeSettings;
  /** Unexpected exceptions inside the fake (bugs), kept for tests to assert on. */
  internalErrors: unknown[];
}

export function createDispatcher(deps: DispatchDeps): Dispatcher {
  const { state, clock } = deps;
  return async (method, parse, via, signal) => {
    const entry = METHODS.get(method.toLowerCase());
    const rec: CallRecord = {
      seq: state.nextSeq(),
      method: entry?.name ?? method,
      params: {},
      files: [],
      at: clock.now(),
      via,
    };
    state.calls.push(rec);
    let answer: Answer;
    try {
      const parsed = await parse();
      rec.params = parsed.params;
      rec.files = [...parsed.files.values()].map((f) => ({
        field: f.field,
        filename: f.filename,
        size: f.bytes.length,
        mime: f.mime,
      }));
      if (!entry) throw Fail.unknownMethod();
      const chatId = Number(parsed.params.chat_id);
      deps.faults.before(
        entry.name,
        Number.isFinite(chatId) && parsed.params.chat_id !== undefined ? chatId : undefined,
      );
      const ctx: MethodContext = {
        ...deps,
        method: entry.name,
        params: parsed.params,
        files: parsed.files,
        signal,
      };
      const result = await entry.handler(ctx);
      answer = {
        status: 200,
        body: { ok: true, result, ...(ctx.description ? { description: ctx.description } : {}) },
      };
    } catch (err) {
      answer = failureAnswer(deps, rec, err);
    }
    rec.status = answer.status;
    rec.ok = answer.status === 200;
    rec.finishedAt = clock.now();
    if (!rec.ok) rec.description = String(answer.body.description);
    return answer;
  };
}

function failureAnswer(deps: DispatchDeps, rec: CallRecord, err: unknown): Answer {
  if (!(err instanceof TelegramFailure)) {
    deps.internalErrors.push(err);
    return { status: 500, body: { ok: false, error_code: 500, description: 'Internal Server Error' } };
  }
  if (err.rule !== Rules.injected) {
    const chatId = Number(rec.params.chat_id);
    deps.state.violate({
      rule: err.rule,
      method: rec.method,
      description: err.body.description,
      status: err.status,
      rejected: true,
      ...(Number.isFinite(chatId) ? { chatId } : {}),
      at: deps.clock.now(),
    });
  }
  return { status: err.status, body: { ...err.body } };
}
