import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { catalogs, t } from '../../../../src/core/i18n/catalogs.ts';
import type { Catalog } from '../../../../src/core/i18n/i18n.ts';

const i18nDir = join(dirname(fileURLToPath(import.meta.url)), '../../../../src/core/i18n');
const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe('i18n catalogues', () => {
  it('GIVEN every catalog-*.ts file THEN each is registered in catalogs.ts', async () => {
    const files = readdirSync(i18nDir).filter((f) => /^catalog-.+\.ts$/.test(f));
    for (const f of files) {
      const mod = (await import(join(i18nDir, f))) as Record<string, unknown>;
      const exported = Object.values(mod).filter(
        (v): v is Catalog => typeof v === 'object' && v !== null && 'en' in v,
      );
      assert.ok(exported.length > 0, `${f} exports no catalogue`);
      for (const c of exported) assert.ok(catalogs.includes(c), `${f} is not imported in catalogs.ts`);
    }
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
