import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

// The same lookup as scripts/test-deps.sh, which `npm test` runs first: what it found is what the tests use.

/** `REDIS_SERVER` if set, else `redis-server` on PATH. */
export function redisServerPath(): string | undefined {
  return fromEnv('REDIS_SERVER') ?? onPath(['redis-server']);
}

/** `CHROMIUM_PATH` if set, else the first of chromium, chromium-browser, google-chrome on PATH. */
export function chromiumPath(): string | undefined {
  return fromEnv('CHROMIUM_PATH') ?? onPath(['chromium', 'chromium-browser', 'google-chrome']);
}

/** A set variable that names no executable is a mistake, so it is not silently replaced by a PATH search. */
function fromEnv(name: string): string | undefined {
  const value = process.env[name];
  if (!value) return undefined;
  if (!isExecutable(value)) throw new Error(`${name}=${value} is not an executable file`);
  return value;
}

function onPath(names: string[]): string | undefined {
  const dirs = (process.env.PATH ?? '').split(delimiter).filter(Boolean);
  for (const name of names) {
    for (const dir of dirs) {
      const candidate = join(dir, name);
      if (isExecutable(candidate)) return candidate;
    }
  }
  return undefined;
}

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}
