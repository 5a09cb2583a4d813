import { cliCatalog } from './catalog-cli.ts';
import { chatCatalog } from './catalog-chat.ts';
import { configCatalog } from './catalog-config.ts';
import { discordCatalog } from './catalog-discord.ts';
import { grammarCatalog } from './catalog-grammar.ts';
import { httpCatalog } from './catalog-http.ts';
import { jobsCatalog } from './catalog-jobs.ts';
import { quotaCatalog } from './catalog-quota.ts';
import { telegramCatalog } from './catalog-telegram.ts';
import { workflowsCatalog } from './catalog-workflows.ts';
import { type Catalog, createTranslator } from './i18n.ts';

/**
 * Every message catalogue of the application. A new `catalog-<area>.ts` must be added here;
 * `test/unit/core/i18n/catalogs.test.ts` fails until it is, and checks it has Chinese for every English
 * text, with the same placeholders.
 */
export const catalogs: readonly Catalog[] = [
  grammarCatalog,
  configCatalog,
  workflowsCatalog,
  quotaCatalog,
  jobsCatalog,
  cliCatalog,
  chatCatalog,
  httpCatalog,
  discordCatalog,
  telegramCatalog,
];

/** Translate a message code: `t('zh', 'grammar.prompt.empty')`. */
export const t = createTranslator(catalogs);
