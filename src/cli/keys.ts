import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { databaseFile } from '../core/storage/database-file.ts';
import { loadCliConfig } from './config.ts';
import { ApiKeys } from '../core/keys/api-keys.ts';
import { createStorage } from '../core/storage/create-storage.ts';
import { parseCommandArgs } from './args.ts';
import { type CliIo, Exit } from './io.ts';
import { printArgsError, translate } from './messages.ts';

/**
 * `comfyrelay keys create --name <n> [--tier <t>] | keys list | keys revoke <id>`: HTTP API keys, in the
 * same storage the server uses. A new key is printed once; only its hash is kept.
 */
export async function runKeys(args: readonly string[], io: CliIo): Promise<number> {
  const parsed = parseCommandArgs(
    args,
    {
      name: { type: 'string' },
      tier: { type: 'string' },
      config: { type: 'string' },
      json: { type: 'boolean' },
    },
    2,
  );
  if (!parsed.ok) return printArgsError(io, parsed.error, 'keys');
  const { values, positionals } = parsed.value;
  const tr = translate(io.locale());
  const [sub, id] = positionals;
  if (
    values['help'] ||
    !sub ||
    !['create', 'list', 'revoke'].includes(sub) ||
    (sub === 'create' && !values['name']) ||
    (sub === 'revoke' && !id)
  ) {
    (values['help'] ? io.out : io.err)(tr('keys.usage'));
    return values['help'] ? Exit.ok : Exit.usage;
  }
  const loaded = loadCliConfig(io, values['config'] as string | undefined);
  if (!loaded.ok) {
    io.err(loaded.error);
    return Exit.usage;
  }
  const config = loaded.value;
  if (!config.storage.redisUrl) mkdirSync(resolve(config.dataDir), { recursive: true });
  const storage = await createStorage(
    config.storage.redisUrl
      ? { redisUrl: config.storage.redisUrl }
      : { sqlitePath: databaseFile(config.dataDir) },
  );
  const keys = new ApiKeys(storage.keys);
  try {
    if (sub === 'create') {
      const { key, record } = await keys.create({
        name: String(values['name']),
        tier: String(values['tier'] ?? 'default'),
      });
      if (values['json'])
        io.out(
          JSON.stringify({
            id: record.id,
            name: record.name,
            tier: record.tier,
            key,
            webhook_secret: record.webhookSecret,
          }),
        );
      else {
        io.err(tr('keys.created', { id: record.id, name: record.name, tier: record.tier }));
        io.out(key);
        io.err(tr('keys.webhookSecret'));
        io.err(record.webhookSecret);
      }
      return Exit.ok;
    }
    if (sub === 'list') {
      const list = await keys.list();
      if (values['json']) io.out(JSON.stringify(list));
      else if (list.length === 0) io.out(tr('keys.none'));
      else
        for (const k of list)
          io.out(
            [
              k.id,
              k.name,
              k.tier,
              new Date(k.createdAt).toISOString(),
              k.revokedAt ? `revoked ${new Date(k.revokedAt).toISOString()}` : 'active',
            ].join('\t'),
          );
      return Exit.ok;
    }
    const revoked = await keys.revoke(id!);
    io[revoked ? 'out' : 'err'](tr(revoked ? 'keys.revoked' : 'keys.notFound', { id: id! }));
    return revoked ? Exit.ok : Exit.failed;
  } finally {
    await storage.close();
  }
}
