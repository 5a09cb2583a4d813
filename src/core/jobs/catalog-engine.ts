import { type Catalog, registerCatalog } from '#shared/i18n.ts';

/** Messages about jobs that the engine's failure paths add (storage, unreadable results). */
export const engineCatalog: Catalog = registerCatalog({
  en: {
    'jobs.storageFailed':
      'Your request could not be saved (the server storage did not answer), so it was not queued and nothing was charged. Try again in a moment.',
    'jobs.resultUnreadable':
      'ComfyUI finished this job but kept failing to say what it made ({reason}); it was not run again. Try again.',
    'jobs.inputImageMissing':
      'The input image of this job is no longer stored; send it again with a new request.',
    'jobs.interrupted':
      'Your request was interrupted by a server restart before it was queued; nothing was charged. Send it again.',
  },
  zh: {
    'jobs.storageFailed':
      '无法保存你的请求（服务器存储没有响应），因此未加入队列，也未扣除额度。请稍后再试。',
    'jobs.resultUnreadable':
      'ComfyUI 已完成该任务，但一直无法告知生成了什么（{reason}）；任务未重新运行。请重试。',
    'jobs.inputImageMissing': '该任务的输入图片已不再保存；请在新的请求中重新发送。',
    'jobs.interrupted': '你的请求在加入队列前因服务器重启而中断；未扣除额度。请重新发送。',
  },
});
