import { chatCatalog } from './catalog-chat.ts';
import { cloudCatalog } from './catalog-cloud.ts';
import { grammarCatalog } from './catalog-grammar.ts';
import { jobsCatalog } from './catalog-jobs.ts';
import { quotaCatalog } from './catalog-quota.ts';
import { statusCatalog } from './catalog-status.ts';
import '../../workflows/messages.ts';
import type { Catalog } from '#shared/i18n.ts';

export { t } from '#shared/i18n.ts';

/**
 * The core's message catalogues (each registers itself on import). Lower layers register theirs in their
 * own modules; each platform adapter and the CLI register theirs when loaded.
 */
export const coreCatalogs: readonly Catalog[] = [
  grammarCatalog,
  quotaCatalog,
  jobsCatalog,
  chatCatalog,
  statusCatalog,
  cloudCatalog,
];
