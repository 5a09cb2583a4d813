import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const FILE = 'output-link.secret';

/**
 * The key output links are signed with: the configured one (several processes or machines serving the
 * same links share it), else one made once and kept in the data directory (`output-link.secret`, readable
 * by its owner only), so links stay valid across restarts. Never logged.
 */
export function linkSecret(dataDir: string, configured?: string): Uint8Array {
  if (configured) return Buffer.from(configured, 'utf8');
  const path = join(dataDir, FILE);
  const read = () => Buffer.from(readFileSync(path, 'utf8').trim(), 'hex');
  try {
    const known = read();
    if (known.length >= 32) return known;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  mkdirSync(dataDir, { recursive: true });
  try {
    // `wx`: two processes starting together keep the first one's key.
    writeFileSync(path, `${randomBytes(32).toString('hex')}\n`, { flag: 'wx', mode: 0o600 });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  const made = read();
  if (made.length < 32) throw new Error(`${path} does not hold a key of 32 bytes (64 hex digits): delete it`);
  return made;
}
