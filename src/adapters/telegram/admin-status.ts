import type { Telegram } from 'telegraf';
import type { Chat } from 'telegraf/types';
import type { CommandSpec } from '../../../commands/index.ts';
import { ChatAdmins } from './chat-admins.ts';
import type { TelegramDeps } from './deps.ts';
import { isGroup } from './to-invocation.ts';

type AdminApi = Pick<Telegram, 'getChatAdministrators' | 'getChatMember'>;

/** Who counts as an admin where: the configured Telegram admins anywhere, group administrators in groups. */
export class AdminStatus {
  readonly #tg: AdminApi;
  readonly #configured: ReadonlySet<string>;
  /** Whether any quota tier matches chat admins: only then does `/imagine` wait for the admin list. */
  readonly #adminTiers: boolean;
  readonly #admins: ChatAdmins;

  constructor(tg: AdminApi, deps: Pick<TelegramDeps, 'admins' | 'adminTiers' | 'clock'>) {
    this.#tg = tg;
    this.#configured = new Set(deps.admins.map(String));
    this.#adminTiers = deps.adminTiers;
    this.#admins = new ChatAdmins(
      async (chatId) => (await tg.getChatAdministrators(chatId)).map((m) => m.user.id),
      { now: () => deps.clock.now() },
    );
  }

  /**
   * Admin status for a command: `/admin` asks Telegram now (getChatMember); `/imagine` waits for the cached
   * admin list only when a quota tier matches chat admins (and otherwise warms it for later button presses);
   * other commands use the cached list.
   */
  async forCommand(spec: CommandSpec, chat: Chat, userId: number): Promise<boolean> {
    if (this.#configured.has(String(userId))) return true;
    if (!isGroup(chat.type) || spec.name === 'help') return false;
    if (spec.admin) {
      const member = await this.#tg.getChatMember(chat.id, userId).catch(() => undefined);
      return member?.status === 'creator' || member?.status === 'administrator';
    }
    if (spec.name === 'imagine' && !this.#adminTiers) {
      this.#admins.warm(chat.id);
      return false;
    }
    return this.#admins.isAdmin(chat.id, userId);
  }

  /** The configured Telegram admins anywhere; group administrators (cached) in groups. */
  async of(chat: Chat, userId: number, timeoutMs?: number): Promise<boolean> {
    if (this.#configured.has(String(userId))) return true;
    return isGroup(chat.type) && this.#admins.isAdmin(chat.id, userId, timeoutMs);
  }
}
