import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { REST } from 'discord.js';
import { COMMANDS } from '../../../commands/index.ts';
import { commandsDiffer, registerCommands, slashCommands } from '../../../src/adapters/discord/register.ts';
import { startFakeDiscord } from '../../fakes/discord/fake-discord.ts';

type Cmd = {
  name: string;
  description: string;
  description_localizations: Record<string, string>;
  options: {
    name: string;
    description: string;
    required?: boolean;
    choices?: unknown[];
    autocomplete?: boolean;
  }[];
};

describe('slash command JSON derived from the command specs', () => {
  const json = slashCommands(COMMANDS) as unknown as Cmd[];

  it('GIVEN every spec THEN names, descriptions and option counts are within Discord limits', () => {
    assert.deepEqual(
      json.map((c) => c.name),
      COMMANDS.map((c) => c.name),
    );
    for (const c of json) {
      assert.match(c.name, /^[-_\p{Ll}\p{N}]{1,32}$/u);
      assert.ok(c.description.length >= 1 && c.description.length <= 100);
      assert.ok(c.description_localizations['zh-CN']);
      assert.ok(c.options.length <= 25);
      const firstOptional = c.options.findIndex((o) => !o.required);
      assert.ok(
        firstOptional === -1 || c.options.slice(firstOptional).every((o) => !o.required),
        `${c.name}: required options first`,
      );
      for (const o of c.options) {
        assert.ok(o.description.length <= 100 && (o.choices?.length ?? 0) <= 25);
        assert.ok(!(o.choices && o.autocomplete), 'choices and autocomplete are exclusive');
      }
    }
    const imagine = json.find((c) => c.name === 'imagine')!;
    assert.deepEqual(
      imagine.options.map((o) => o.name),
      ['prompt', 'negative', 'workflow', 'model', 'aspect', 'seed', 'steps', 'count', 'image'],
    );
  });

  it('GIVEN a long description or too many options THEN it is shortened or refused', () => {
    const long = { ...COMMANDS[0]!, name: 'x', description: { en: 'a'.repeat(150), zh: '长'.repeat(150) } };
    const out = slashCommands([long])[0] as unknown as Cmd;
    assert.equal(out.description.length, 100);
    assert.equal([...out.description_localizations['zh-CN']!].length, 100);
    const many = {
      ...long,
      options: Array.from({ length: 26 }, (_, i) => ({
        name: `o${i}`,
        kind: 'string' as const,
        description: { en: 'o' },
      })),
    };
    assert.throws(() => slashCommands([many]), /25 options/);
    assert.throws(() => slashCommands([{ ...long, name: 'Bad Name' }]), /invalid command name/);
  });

  it('GIVEN what Discord returns (ids, defaults, other order) THEN only a real change counts', () => {
    const fromDiscord = json
      .map((c, i) => ({
        ...c,
        id: String(i),
        version: '1',
        application_id: '1',
        nsfw: false,
        options: c.options.map((o) => ({ ...o, required: o.required ?? false })),
      }))
      .reverse();
    assert.equal(commandsDiffer(fromDiscord, slashCommands(COMMANDS)), false);
    const changed = structuredClone(fromDiscord);
    changed[0]!.description = 'changed';
    assert.equal(commandsDiffer(changed, slashCommands(COMMANDS)), true);
    assert.equal(commandsDiffer([], slashCommands(COMMANDS)), true);
  });
});

describe('registration against the fake Discord', () => {
  const closers: (() => Promise<void>)[] = [];
  after(async () => {
    for (const c of closers) await c();
  });

  it('GIVEN unchanged commands THEN the second start only GETs; a guild id registers in that guild', async () => {
    const fake = await startFakeDiscord();
    closers.push(() => fake.close());
    const rest = new REST({ api: fake.restUrl }).setToken(fake.token);
    const guild = fake.addGuild({ name: 'G', channels: [{ name: 'general' }] });
    assert.equal(await registerCommands(rest, fake.applicationId, COMMANDS), true);
    assert.equal(await registerCommands(rest, fake.applicationId, COMMANDS), false);
    assert.equal(await registerCommands(rest, fake.applicationId, COMMANDS, guild.id), true);
    assert.deepEqual(
      fake.commandRegistrations().map((r) => [r.method, r.scope, r.status]),
      [
        ['PUT', 'global', 200],
        ['PUT', guild.id, 200],
      ],
    );
    assert.equal(fake.registeredCommands().length, COMMANDS.length);
    assert.deepEqual(fake.violations(), []);
  });
});
