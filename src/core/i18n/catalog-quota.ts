import { type Catalog, registerCatalog } from '#shared/i18n.ts';

/** Quota refusals and `/quota`. Params are listed in `core/quota/refusal.ts`. */
export const quotaCatalog: Catalog = registerCatalog({
  en: {
    'quota.refused.running':
      'You already have {limit} job(s) running. This one will start when one finishes.',
    'quota.refused.waiting': 'You already have {limit} job(s) waiting. Try again when one has started.',
    'quota.refused.window': 'You have used all {limit} jobs for now. Try again in {minutes} min.',
    'quota.refused.gpuSeconds': 'You have used your {limit} GPU-seconds for now. Try again in {minutes} min.',
    'quota.refused.community.waiting':
      'This community already has {limit} jobs waiting. Try again in a little while.',
    'quota.refused.community.window':
      'This community has used all {limit} jobs for now. Try again in {minutes} min.',
    'quota.refused.global.waiting': 'The queue is full ({limit} jobs waiting). Try again in a little while.',
    'quota.refused.global.window':
      'The service has reached its limit of {limit} jobs for now. Try again in {minutes} min.',
    'quota.usage.unlimited': 'Tier {tier}: no limits.',
    'quota.usage.summary':
      'Tier {tier}: {running}/{runningLimit} running, {waiting}/{waitingLimit} waiting, {remaining} of {perWindow} jobs left, refills in {minutes} min.',
    'quota.usage.gpu': 'GPU time: {remaining} of {limit} seconds left.',
  },
  zh: {
    'quota.refused.running': '你已有 {limit} 个任务正在运行。此任务将在其中一个完成后开始。',
    'quota.refused.waiting': '你已有 {limit} 个任务在排队。请等其中一个开始后再试。',
    'quota.refused.window': '你已用完当前额度（{limit} 个任务）。请在 {minutes} 分钟后再试。',
    'quota.refused.gpuSeconds': '你已用完当前的 {limit} GPU 秒额度。请在 {minutes} 分钟后再试。',
    'quota.refused.community.waiting': '本社区已有 {limit} 个任务在排队。请稍后再试。',
    'quota.refused.community.window': '本社区已用完当前额度（{limit} 个任务）。请在 {minutes} 分钟后再试。',
    'quota.refused.global.waiting': '队列已满（{limit} 个任务在排队）。请稍后再试。',
    'quota.refused.global.window': '服务已达到当前上限（{limit} 个任务）。请在 {minutes} 分钟后再试。',
    'quota.usage.unlimited': '等级 {tier}：无限制。',
    'quota.usage.summary':
      '等级 {tier}：运行中 {running}/{runningLimit}，排队 {waiting}/{waitingLimit}，剩余 {remaining}/{perWindow} 个任务，{minutes} 分钟后恢复。',
    'quota.usage.gpu': 'GPU 时间：剩余 {remaining}/{limit} 秒。',
  },
});
