import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { t } from '../../../../src/core/i18n/catalogs.ts';
import { type Catalog, registeredCatalogs } from '../../../../src/shared/i18n.ts';

const srcDir = join(dirname(fileURLToPath(import.meta.url)), '../../../../src');
const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

/** Every catalogue file of the project: `catalog-*.ts`, `catalog.ts` or `messages.ts` exporting a Catalog. */
function catalogFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory()
      ? catalogFiles(join(dir, e.name))
      : /^(catalog(-.+)?|messages)\.ts$/.test(e.name)
        ? [join(dir, e.name)]
        : [],
  );
}

const loaded: Catalog[] = [];
for (const f of catalogFiles(srcDir)) {
  const mod = (await import(f)) as Record<string, unknown>;
  loaded.push(
    ...Object.values(mod).filter(
      (v): v is Catalog => typeof v === 'object' && v !== null && 'en' in v && 'zh' in v,
    ),
  );
}
const catalogs = registeredCatalogs();

describe('i18n catalogues', () => {
  it('GIVEN every catalogue file THEN each registers itself when loaded', () => {
    assert.ok(loaded.length >= 10, `only ${loaded.length} catalogues found`);
    for (const c of loaded) assert.ok(catalogs.includes(c), 'a catalogue does not call registerCatalog');
  });

  it('GIVEN every English text THEN Chinese exists with the same placeholders, and nothing extra', () => {
    for (const c of catalogs) {
      for (const [code, en] of Object.entries(c.en)) {
        const zh = c.zh[code];
        assert.ok(zh !== undefined && zh.trim() !== '', `missing zh for ${code}`);
        assert.deepEqual(placeholders(zh), placeholders(en), `placeholders differ for ${code}`);
      }
      for (const code of Object.keys(c.zh)) assert.ok(code in c.en, `zh-only code ${code}`);
    }
  });

  it('GIVEN codes across catalogues THEN none is defined twice', () => {
    const seen = new Set<string>();
    for (const c of catalogs) {
      for (const code of Object.keys(c.en)) {
        assert.ok(!seen.has(code), `duplicate code ${code}`);
        seen.add(code);
      }
    }
  });

  it('GIVEN t THEN translates and fills placeholders', () => {
    assert.equal(t('en', 'grammar.flag.missing_value', { flag: '--seed' }), '--seed needs a value.');
    assert.equal(t('zh', 'grammar.flag.missing_value', { flag: '--seed' }), '--seed 需要一个值。');
  });
});
