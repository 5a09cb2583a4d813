/**
 * Loaded with `node --import` by lazy-imports.test.ts: writes every module URL the process resolved to
 * the file named by RECORD_IMPORTS when the process exits.
 */
import { writeFileSync } from 'node:fs';
import { registerHooks } from 'node:module';

const file = process.env['RECORD_IMPORTS'];
const seen = new Set<string>();
registerHooks({
  resolve(specifier, context, next) {
    const resolved = next(specifier, context);
    seen.add(resolved.url);
    return resolved;
  },
});
process.on('exit', () => {
  if (file) writeFileSync(file, [...seen].join('\n'));
});
