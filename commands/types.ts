import type { ChatService, Place } from '../src/core/chat/chat-service.ts';
import type { Locale, UserMessage } from '../src/shared/i18n.ts';
import type { LocalizedText } from '../src/workflows/types.ts';
import type { DeliveryTarget, JobRecord, Requester } from '../src/core/jobs/types.ts';

export type OptionKind = 'string' | 'integer' | 'number' | 'boolean' | 'attachment';

/** One option of a command; Discord turns it into a slash option, Telegram into `key:value` help. */
export interface CommandOption {
  name: string;
  kind: OptionKind;
  description: LocalizedText;
  required?: boolean;
  min?: number;
  max?: number;
  maxLength?: number;
  choices?: readonly { name: string; value: string }[];
  /** Values come from `complete()` as the person types (Discord autocomplete). */
  autocomplete?: boolean;
}

export interface CommandContext {
  chat: ChatService;
  requester: Requester;
  place: Place;
  locale: Locale;
  /** The person may administer this community (Manage Server, chat admin, or a configured admin). */
  isAdmin: boolean;
  options: Record<string, string | number | boolean | undefined>;
  /** The command's free text (Telegram `/imagine text`, Discord `prompt`). */
  text: string;
  /** An input image as received; the `/imagine` pipeline checks its bytes. */
  image?: { bytes: Uint8Array; name?: string };
  delivery: DeliveryTarget;
  /** Where job `index` of `total` is shown when `--n` makes several (default: `delivery` for each). */
  deliveryFor?: (index: number, total: number) => Promise<DeliveryTarget>;
  idempotencyKey?: string;
}

/** What a command answers; each front end renders these the same way everywhere. */
export type CommandReply =
  | { kind: 'job'; job: JobRecord }
  | { kind: 'show'; job: JobRecord }
  | {
      kind: 'text';
      messages: UserMessage[];
      private?: boolean;
      /**
       * `/admin safety original`: output `output` of `job` for the admin who asked alone (a Discord
       * ephemeral reply, a Telegram private chat), never in the group. Read it with the results port: the
       * file's `bytes` are the original (its `safety` says how it is presented in public). A front end
       * that does not send it still shows `messages`.
       */
      original?: { job: JobRecord; output: number };
    }
  | { kind: 'error'; message: UserMessage };

export interface CommandSpec {
  name: string;
  description: LocalizedText & { zh: string };
  options: readonly CommandOption[];
  /** Only community admins may run it; the front end checks before `run`. */
  admin?: boolean;
  /** The answer is only for the person (ephemeral on Discord). */
  private?: boolean;
  run(ctx: CommandContext): Promise<CommandReply>;
  /** Suggestions for an autocomplete option, from memory only (it must answer within Discord's 3 s). */
  complete?(
    option: string,
    typed: string,
    ctx: Pick<CommandContext, 'chat' | 'place' | 'locale'>,
  ): { name: string; value: string }[];
}

export function defineCommand(spec: CommandSpec): CommandSpec {
  return spec;
}

export const text = (messages: UserMessage[] | UserMessage, priv = true): CommandReply => ({
  kind: 'text',
  messages: Array.isArray(messages) ? messages : [messages],
  private: priv,
});
