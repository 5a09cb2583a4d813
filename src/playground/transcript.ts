import type { FakeMessage } from '../../test/fakes/discord/fake-discord.ts';
import type { StoredMessage } from '../../test/fakes/telegram/state.ts';
import { discordView, telegramView, withoutProgress } from './views.ts';
import type { World } from './world.ts';

/** A message as the transcript knows it: its short name (`d3`, `t5`) and what it last showed. */
interface Seen {
  ref: string;
  shown: string;
  /** Everything it showed, progress included (a change there is activity, though not printed). */
  raw: string;
  deleted: boolean;
}

/** Where a message is, for the section headers and for pressing its buttons. */
export type Where =
  | { platform: 'discord'; messageId: string }
  | { platform: 'telegram'; chatId: number; messageId: number };

/**
 * Watches the fake Discord and fake Telegram and prints what members would see: every message the bot
 * posts (who alone sees it, when only one person does), its edits (a new state once, not every
 * percent of progress), deletions, and the private alerts of Telegram buttons. Messages get short names
 * (`d3` on Discord, `t5` on Telegram) to press their buttons by.
 */
export class Transcript {
  readonly #world: World;
  readonly #write: (line: string) => void;
  readonly #seen = new Map<string, Seen>();
  readonly #where = new Map<string, Where>();
  readonly #alerts = new Set<string>();
  #counts = { d: 0, t: 0 };
  #section = '';
  #timer: NodeJS.Timeout | undefined;
  /** When a message last changed (the operator's `wait idle` waits for a quiet spell). */
  lastChangeAt = Date.now();

  constructor(world: World, write: (line: string) => void) {
    this.#world = world;
    this.#write = write;
  }

  start(everyMs = 150): void {
    this.#timer = setInterval(() => this.poll(), everyMs);
  }

  stop(): void {
    clearInterval(this.#timer);
    this.poll();
  }

  /** What the operator typed, as the member's own line. */
  said(section: string, who: string, text: string): void {
    this.#header(section);
    this.#print(`${who} ▸ ${text}`);
  }

  note(line: string): void {
    this.#print(line);
  }

  /** A message by its short name. */
  where(ref: string): Where | undefined {
    return this.#where.get(ref);
  }

  /** Short names of the messages on a platform, newest first. */
  refs(platform: 'discord' | 'telegram'): string[] {
    return [...this.#where]
      .filter(([, w]) => w.platform === platform)
      .map(([ref]) => ref)
      .reverse();
  }

  poll(): void {
    const { discord, telegram } = this.#world;
    for (const m of discord.fake.messages(discord.channelId)) this.#discord(m);
    for (const [key, seen] of this.#seen) {
      if (!key.startsWith('d:') || seen.deleted) continue;
      if (discord.fake.message(key.slice(2))?.deleted) this.#gone(`Discord #${discord.channelName}`, seen);
    }
    const chats = [telegram.groupId, ...this.#world.people().map((p) => p.telegramId)];
    for (const chatId of chats) {
      const all = telegram.fake.messages(chatId, { includeDeleted: true });
      // New messages first: a result shown, then the status it replaces going away.
      for (const m of all) if (m.deletedAt === undefined) this.#telegram(m);
      for (const m of all) if (m.deletedAt !== undefined) this.#telegram(m);
    }
    for (const a of telegram.fake.callbackAnswers()) {
      if (this.#alerts.has(a.id) || !a.answer.text) continue;
      this.#alerts.add(a.id);
      const who = this.#world.people().find((p) => p.telegramId === a.userId)?.name ?? 'someone';
      this.#header(this.#telegramSection(a.chatId));
      this.#print(`(alert only ${who} sees) ${a.answer.text}`);
    }
  }

  #discord(m: FakeMessage): void {
    const key = `d:${m.id}`;
    // Discord shows a mention as the person's name.
    const lines = discordView(m).map((l) =>
      l.replace(/<@(\d+)>/g, (whole, id: string) => {
        const who = this.#world.people().find((p) => p.discordId === id);
        return who ? `@${who.name}` : whole;
      }),
    );
    if (m.authorId !== this.#world.discord.fake.botUser.id || lines.length === 0) return;
    const ephemeral = (m.flags & 64) !== 0;
    const owner = ephemeral ? this.#interactionUser(m.interactionId) : undefined;
    const by = owner ? ` (only ${owner} sees)` : '';
    this.#show(key, `Discord #${this.#world.discord.channelName}`, lines, 'd', by, () => ({
      platform: 'discord',
      messageId: m.id,
    }));
  }

  #telegram(m: StoredMessage): void {
    if (m.sender !== 'bot') return;
    const key = `t:${m.chatId}:${m.message_id}`;
    const section = this.#telegramSection(m.chatId);
    const seen = this.#seen.get(key);
    if (m.deletedAt !== undefined) {
      if (seen && !seen.deleted) this.#gone(section, seen);
      return;
    }
    this.#show(key, section, telegramView(m), 't', '', () => ({
      platform: 'telegram',
      chatId: m.chatId,
      messageId: m.message_id,
    }));
  }

  #show(
    key: string,
    section: string,
    lines: string[],
    kind: 'd' | 't',
    by: string,
    where: () => Where,
  ): void {
    const shown = withoutProgress(lines);
    const raw = lines.join('\n');
    const seen = this.#seen.get(key);
    if (seen?.raw !== raw) this.lastChangeAt = Date.now();
    if (seen) seen.raw = raw;
    if (seen?.shown === shown) return;
    this.#header(section);
    if (!seen) {
      this.#counts[kind] += 1;
      const ref = `${kind}${this.#counts[kind]}`;
      this.#seen.set(key, { ref, shown, raw, deleted: false });
      this.#where.set(ref, where());
      this.#block(`[${ref}] ComfyRelay${by}:`, lines);
    } else {
      seen.shown = shown;
      this.#block(`[${seen.ref}] edited:`, lines);
    }
  }

  #gone(section: string, seen: Seen): void {
    seen.deleted = true;
    this.#header(section);
    this.#print(`[${seen.ref}] deleted`);
  }

  #block(head: string, lines: string[]): void {
    this.#print(head);
    for (const l of lines) this.#print(`    ${l}`);
  }

  #telegramSection(chatId: number): string {
    if (chatId === this.#world.telegram.groupId) return `Telegram group “${this.#world.telegram.groupTitle}”`;
    const who = this.#world.people().find((p) => p.telegramId === chatId)?.name ?? String(chatId);
    return `Telegram: ${who}’s private chat with the bot`;
  }

  #interactionUser(interactionId: string | null): string | undefined {
    if (!interactionId) return undefined;
    const userId = this.#world.discord.fake.interactions().find((i) => i.id === interactionId)?.userId;
    return this.#world.people().find((p) => p.discordId === userId)?.name;
  }

  #header(section: string): void {
    if (section === this.#section) return;
    this.#section = section;
    this.#print('');
    this.#print(`── ${section} ──`);
  }

  #print(line: string): void {
    this.lastChangeAt = Date.now();
    this.#write(line);
  }
}
