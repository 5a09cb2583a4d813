import { type Catalog, registerCatalog } from '#shared/i18n.ts';

/** Messages about paid (overflow) backends such as Comfy Cloud: budgets, credits, keys. */
export const cloudCatalog: Catalog = registerCatalog({
  en: {
    'jobs.cloudBudget.overall.jobsPerDay':
      'The local GPU is busy and today’s Comfy Cloud budget ({max} jobs) is spent; your job waits for the local GPU (budget resets {resets} UTC).',
    'jobs.cloudBudget.overall.jobsPerMonth':
      'The local GPU is busy and this month’s Comfy Cloud budget ({max} jobs) is spent; your job waits for the local GPU (resets {resets} UTC).',
    'jobs.cloudBudget.overall.gpuSecondsPerDay':
      'The local GPU is busy and today’s Comfy Cloud budget ({max} GPU-seconds) is spent; your job waits for the local GPU (resets {resets} UTC).',
    'jobs.cloudBudget.overall.gpuSecondsPerMonth':
      'The local GPU is busy and this month’s Comfy Cloud budget ({max} GPU-seconds) is spent; your job waits for the local GPU (resets {resets} UTC).',
    'jobs.cloudBudget.community.jobsPerDay':
      'This community has used its {max} Comfy Cloud jobs for today; your job waits for the local GPU (resets {resets} UTC).',
    'jobs.cloudBudget.community.jobsPerMonth':
      'This community has used its {max} Comfy Cloud jobs for this month; your job waits for the local GPU (resets {resets} UTC).',
    'jobs.cloudBudget.community.gpuSecondsPerDay':
      'This community has used its {max} Comfy Cloud GPU-seconds for today; your job waits for the local GPU (resets {resets} UTC).',
    'jobs.cloudBudget.community.gpuSecondsPerMonth':
      'This community has used its {max} Comfy Cloud GPU-seconds for this month; your job waits for the local GPU (resets {resets} UTC).',
    'jobs.cloudBudgetNoLocal':
      'Only the cloud backend {backend} can run this, and its budget is spent ({scopeName}: {max} {limit}); try again after {resets} UTC.',
    'jobs.backendOutOfCredits':
      'The cloud backend {backend} is out of credits and no other server can run this job; it was not run. The operator has been told.',
    'jobs.backendKeyRefused':
      'The cloud backend {backend} refused ComfyRelay’s API key and no other server can run this job; it was not run.',
    'quota.cloud.header': 'Cloud budget ({backend}):',
    'quota.cloud.line': '{scope} {limit}: {left} of {max} left (resets {resets} UTC)',
    'quota.cloud.scope.overall': 'everyone',
    'quota.cloud.scope.community': 'this community',
  },
  zh: {
    'jobs.cloudBudget.overall.jobsPerDay':
      '本地 GPU 正忙，今天的 Comfy Cloud 预算（{max} 个任务）已用完；你的任务将等待本地 GPU（预算于 UTC {resets} 重置）。',
    'jobs.cloudBudget.overall.jobsPerMonth':
      '本地 GPU 正忙，本月的 Comfy Cloud 预算（{max} 个任务）已用完；你的任务将等待本地 GPU（于 UTC {resets} 重置）。',
    'jobs.cloudBudget.overall.gpuSecondsPerDay':
      '本地 GPU 正忙，今天的 Comfy Cloud 预算（{max} GPU 秒）已用完；你的任务将等待本地 GPU（于 UTC {resets} 重置）。',
    'jobs.cloudBudget.overall.gpuSecondsPerMonth':
      '本地 GPU 正忙，本月的 Comfy Cloud 预算（{max} GPU 秒）已用完；你的任务将等待本地 GPU（于 UTC {resets} 重置）。',
    'jobs.cloudBudget.community.jobsPerDay':
      '本社区今天的 {max} 个 Comfy Cloud 任务已用完；你的任务将等待本地 GPU（于 UTC {resets} 重置）。',
    'jobs.cloudBudget.community.jobsPerMonth':
      '本社区本月的 {max} 个 Comfy Cloud 任务已用完；你的任务将等待本地 GPU（于 UTC {resets} 重置）。',
    'jobs.cloudBudget.community.gpuSecondsPerDay':
      '本社区今天的 {max} GPU 秒 Comfy Cloud 额度已用完；你的任务将等待本地 GPU（于 UTC {resets} 重置）。',
    'jobs.cloudBudget.community.gpuSecondsPerMonth':
      '本社区本月的 {max} GPU 秒 Comfy Cloud 额度已用完；你的任务将等待本地 GPU（于 UTC {resets} 重置）。',
    'jobs.cloudBudgetNoLocal':
      '只有云端后端 {backend} 能运行此任务，但其预算已用完（{scopeName}：{max} {limit}）；请在 UTC {resets} 之后再试。',
    'jobs.backendOutOfCredits':
      '云端后端 {backend} 的点数已用完，且没有其他服务器能运行此任务；任务未运行。已通知运营者。',
    'jobs.backendKeyRefused':
      '云端后端 {backend} 拒绝了 ComfyRelay 的 API 密钥，且没有其他服务器能运行此任务；任务未运行。',
    'quota.cloud.header': '云端预算（{backend}）：',
    'quota.cloud.line': '{scope} {limit}：剩余 {left}/{max}（于 UTC {resets} 重置）',
    'quota.cloud.scope.overall': '全体',
    'quota.cloud.scope.community': '本社区',
  },
});
