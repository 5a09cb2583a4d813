import { setTimeout as sleep } from 'node:timers/promises';
import { commandByName } from '../../commands/index.ts';
import { decodeAction } from '../core/chat/actions.ts';
import type { FakeMessage } from '../../test/fakes/discord/fake-discord.ts';
import type { StoredMessage } from '../../test/fakes/telegram/state.ts';
import type { Transcript, Where } from './transcript.ts';
import type { Person, World } from './world.ts';

type Platform = 'discord' | 'telegram';

export const HELP = `Type what members do; the transcript shows what they would see.
  alice: /imagine a cat --ar 16:9      alice, on the current platform (Discord #general or the Telegram group)
  tg bob: /imagine a dog               on Telegram (tg, telegram) or Discord (dc, discord)
  tg bob dm: a red fox                 in bob's private chat with the bot (Telegram)
  carol: /settings workflow:default    a slash command's options as name:value
  alice press U1 [d4]                  alice presses U1 on message d4 (default: on her newest result that has it)
  bob press Use seed of alice          bob presses it on alice's newest result
  person li zh admin                   li speaks Chinese and may administer (before li's first line)
  use telegram | use discord           switch the current platform
  wait 5 | wait idle                   let 5 s pass, or until every job is done and the chats are quiet
  # a note                             printed as it is
  help | quit`;

const PLATFORM_WORDS: Record<string, Platform> = {
  dc: 'discord',
  discord: 'discord',
  tg: 'telegram',
  telegram: 'telegram',
};
/** A pause after each line so the bots answer in the order things were typed. */
const SETTLE_MS = 500;

/** Turns the operator's lines into what members do on the fake platforms. */
export class Operator {
  readonly #world: World;
  readonly #transcript: Transcript;
  platform: Platform = 'discord';

  constructor(world: World, transcript: Transcript) {
    this.#world = world;
    this.#transcript = transcript;
  }

  /** Runs one line; false when the operator asked to quit. */
  async run(raw: string): Promise<boolean> {
    const line = raw.trim();
    if (!line) return true;
    if (line.startsWith('#')) {
      this.#transcript.note(line);
      return true;
    }
    const [word = '', ...rest] = line.split(/\s+/);
    switch (word.toLowerCase()) {
      case 'quit':
      case 'exit':
        return false;
      case 'help':
        this.#transcript.note(HELP);
        return true;
      case 'use':
        this.platform = PLATFORM_WORDS[rest[0]?.toLowerCase() ?? ''] ?? this.platform;
        return true;
      case 'wait':
        await (rest[0] === 'idle' ? this.#idle() : sleep(Number(rest[0] ?? 1) * 1000));
        return true;
      case 'person':
        this.#world.person(rest[0] ?? 'someone', { zh: rest.includes('zh'), admin: rest.includes('admin') });
        return true;
    }
    const press = /^(\w+)\s+press\s+(.+?)(?:\s+of\s+(\w+))?(?:\s+([dt]\d+))?$/i.exec(line);
    if (press) {
      const by = this.#world.person(press[1]!.toLowerCase());
      const owner = press[3] ? this.#world.person(press[3].toLowerCase()) : by;
      await this.#press(by, press[2]!, owner, press[4]);
    } else await this.#say(line);
    await sleep(SETTLE_MS);
    this.#transcript.poll();
    return true;
  }

  async #say(line: string): Promise<void> {
    const m = /^(?:(dc|discord|tg|telegram)\s+)?(\w+)(\s+dm)?\s*:\s*(.*)$/i.exec(line);
    if (!m) return void this.#transcript.note(`(not understood: ${line} — type help)`);
    const platform = m[1] ? PLATFORM_WORDS[m[1].toLowerCase()]! : this.platform;
    const person = this.#world.person(m[2]!.toLowerCase());
    const text = m[4]!.trim();
    if (platform === 'telegram') return this.#telegram(person, text, !!m[3]);
    return this.#discord(person, text);
  }

  async #discord(person: Person, text: string): Promise<void> {
    const { fake, guildId, channelId, channelName } = this.#world.discord;
    this.#transcript.said(`Discord #${channelName}`, person.name, text);
    const [slash = '', ...words] = text.split(/\s+/);
    const spec = commandByName(slash.replace(/^\//, '').toLowerCase());
    if (!slash.startsWith('/') || !spec)
      return this.#transcript.note('(on Discord, members use slash commands: /imagine, /queue, /settings…)');
    const rest = words.join(' ');
    const options: Record<string, string | number | boolean> = {};
    if (spec.name === 'imagine') options['prompt'] = rest;
    else {
      const free: string[] = [];
      for (const token of words) {
        const at = token.indexOf(':');
        const option = at > 0 ? spec.options.find((o) => o.name === token.slice(0, at)) : undefined;
        const value = token.slice(at + 1);
        if (!option) free.push(token);
        else if (option.kind === 'boolean') options[option.name] = /^(1|true|yes|on)$/i.test(value);
        else if (option.kind === 'integer' || option.kind === 'number') options[option.name] = Number(value);
        else options[option.name] = value;
      }
      const first = spec.options.find((o) => o.kind === 'string' && options[o.name] === undefined);
      if (free.length && first) options[first.name] = free.join(' ');
    }
    await fake.slashCommand({ guildId, channelId, userId: person.discordId, name: spec.name, options });
  }

  async #telegram(person: Person, text: string, dm: boolean): Promise<void> {
    const { fake, groupId, groupTitle } = this.#world.telegram;
    const section = dm
      ? `Telegram: ${person.name}’s private chat with the bot`
      : `Telegram group “${groupTitle}”`;
    this.#transcript.said(section, person.name, text);
    await fake.userSends({ chatId: dm ? person.telegramId : groupId, userId: person.telegramId, text });
  }

  async #press(person: Person, label: string, owner: Person, ref?: string): Promise<void> {
    this.#transcript.poll();
    const target = await this.#find(label, owner, ref);
    if (!target)
      return void this.#transcript.note(`(no message with a “${label}” button${ref ? ` as ${ref}` : ''})`);
    const { where, button, ref: at } = target;
    if (where.platform === 'discord') {
      this.#transcript.said(
        `Discord #${this.#world.discord.channelName}`,
        person.name,
        `presses [${button.label}] on ${at}`,
      );
      await this.#world.discord.fake.clickButton({
        messageId: where.messageId,
        customId: button.id,
        userId: person.discordId,
      });
    } else {
      this.#transcript.said(
        this.#chatSection(where.chatId),
        person.name,
        `presses [${button.label}] on ${at}`,
      );
      this.#world.telegram.fake.pressButton({
        chatId: where.chatId,
        messageId: where.messageId,
        userId: person.telegramId,
        data: button.id,
      });
    }
  }

  /**
   * The message with a button whose label fits: the one named, else the newest on this platform whose
   * job is `owner`'s (the presser's own unless `of <name>` was typed).
   */
  async #find(label: string, owner: Person, ref?: string) {
    const wanted = label.toLowerCase();
    const fits = (l: string) => l.toLowerCase() === wanted || l.toLowerCase().includes(wanted);
    for (const r of ref ? [ref] : this.#transcript.refs(this.platform)) {
      const where = this.#transcript.where(r);
      const button = where && this.#buttons(where).find((b) => fits(b.label));
      if (!where || !button) continue;
      if (ref || (await this.#ownerOf(button.id)) === owner) return { where, button, ref: r };
    }
    return undefined;
  }

  async #ownerOf(buttonId: string): Promise<Person | undefined> {
    const jobId = decodeAction(buttonId)?.jobId;
    const job = jobId ? await this.#world.ports.jobs.get(jobId) : undefined;
    const id = job?.owner.userId;
    return this.#world.people().find((p) => p.discordId === id || String(p.telegramId) === id);
  }

  #buttons(where: Where): { label: string; id: string }[] {
    if (where.platform === 'discord') {
      const m: FakeMessage | undefined = this.#world.discord.fake.message(where.messageId);
      if (!m || m.deleted) return [];
      const rows = m.components as { components?: { label?: string; custom_id?: string }[] }[];
      return rows
        .flatMap((r) => r.components ?? [])
        .map((c) => ({ label: c.label ?? '', id: c.custom_id ?? '' }));
    }
    const m: StoredMessage | undefined = this.#world.telegram.fake.message(where.chatId, where.messageId);
    const rows = (m?.reply_markup?.['inline_keyboard'] ?? []) as { text: string; callback_data: string }[][];
    return rows.flat().map((b) => ({ label: b.text, id: b.callback_data }));
  }

  #chatSection(chatId: number): string {
    const { groupId, groupTitle } = this.#world.telegram;
    if (chatId === groupId) return `Telegram group “${groupTitle}”`;
    const who = this.#world.people().find((p) => p.telegramId === chatId)?.name ?? String(chatId);
    return `Telegram: ${who}’s private chat with the bot`;
  }

  /** Until no job waits or runs and nothing was printed for two seconds (at most three minutes). */
  async #idle(): Promise<void> {
    const end = Date.now() + 180_000;
    while (Date.now() < end) {
      const q = this.#world.ports.jobs.queueSnapshot();
      this.#transcript.poll();
      if (q.waiting === 0 && q.running === 0 && Date.now() - this.#transcript.lastChangeAt > 2000) return;
      await sleep(200);
    }
  }
}
