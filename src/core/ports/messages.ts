import { type Catalog, registerCatalog } from '#shared/i18n.ts';

/** What a front end may be told when it asks the core for a finished job's files (`result-reader.ts`). */
export const portsCatalog: Catalog = registerCatalog({
  en: {
    'results.unavailable':
      'The files of job {id} cannot be read any more: the backend that made them is gone or does not answer.',
  },
  zh: {
    'results.unavailable': '任务 {id} 的文件已无法读取：生成它们的后端已移除或没有响应。',
  },
});
