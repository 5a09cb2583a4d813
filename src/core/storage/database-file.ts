import { join, resolve } from 'node:path';

/** The embedded SQLite database of a data directory: the service, `keys`, `retention` and `doctor` agree on it. */
export const databaseFile = (dataDir: string): string => join(resolve(dataDir), 'comfyrelay.db');
