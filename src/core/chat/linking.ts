import { randomInt, randomUUID } from 'node:crypto';
import type { UserMessage } from '#shared/i18n.ts';
import { err, ok, type Result } from '#shared/result.ts';
import type { Store } from '../storage/store.ts';

const CODE_TTL_MS = 10 * 60_000;
const ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';

interface Account {
  platform: string;
  userId: string;
}

/**
 * One identity across platforms: `/link` on one account gives a one-time code; entering it on another
 * account joins both to one identity, so quotas, settings and `/show` follow the person.
 */
export class AccountLinks {
  readonly #store: Store<unknown>;
  constructor(store: Store<unknown>) {
    this.#store = store;
  }

  async identityOf(account: Account): Promise<string | undefined> {
    return (await this.#store.get(`acct:${account.platform}:${account.userId}`)) as string | undefined;
  }

  async createCode(account: Account): Promise<string> {
    const code = Array.from({ length: 8 }, () => ALPHABET[randomInt(ALPHABET.length)]).join('');
    await this.#store.set(`code:${code}`, account, CODE_TTL_MS);
    return code;
  }

  async redeem(code: string, account: Account): Promise<Result<string, UserMessage>> {
    const key = `code:${code.trim().toUpperCase()}`;
    const origin = (await this.#store.get(key)) as Account | undefined;
    if (!origin) return err({ code: 'chat.link.bad' });
    if (origin.platform === account.platform && origin.userId === account.userId)
      return err({ code: 'chat.link.same' });
    await this.#store.delete(key);
    const identity = (await this.identityOf(origin)) ?? (await this.identityOf(account)) ?? randomUUID();
    await this.#store.set(`acct:${origin.platform}:${origin.userId}`, identity);
    await this.#store.set(`acct:${account.platform}:${account.userId}`, identity);
    return ok(identity);
  }
}
