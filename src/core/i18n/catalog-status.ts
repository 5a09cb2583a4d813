import { type Catalog, registerCatalog } from '#shared/i18n.ts';

/**
 * What chat members are told while they wait and when something cannot be done: status lines, `/queue`,
 * what this server can do right now, and failures worded for people (the detail goes to the operator).
 */
export const statusCatalog: Catalog = registerCatalog({
  en: {
    'chat.status.queued': 'Waiting in line: #{position}, {eta}',
    'chat.status.sent': 'Sent to the GPU, waiting for it to start',
    'chat.status.serverQueue': 'Waiting on the GPU server, {ahead} ahead of it there',
    'chat.status.starting': 'Starting…',
    'chat.status.otherRunning': 'Your other job is running; this one starts when it finishes.',
    'chat.status.othersRunning':
      '{count} of your jobs are running; this one starts when one of them finishes.',
    'chat.eta.about': 'about {eta} to go',
    'chat.eta.estimating': 'estimating the wait…',
    'chat.queue.mine': 'Your jobs:',
    'chat.queue.job': '• {id} “{prompt}”: {state}',
    'chat.queue.jobWaiting': '• {id} “{prompt}”: #{position} in line, {eta}',
    'chat.queue.summary': 'In all: {waiting} waiting, {running} running on {backends} server(s).',
    'chat.cannot.upscale': 'This server can’t do upscales right now.',
    'chat.cannot.variation': 'This server can’t make variations right now.',
    'chat.cannot.template':
      'The workflow “{template}” can’t run on this server right now; /workflows lists the ones that can.',
    'chat.cannot.model': 'That model isn’t available here. Try --model {models}.',
    'chat.cannot.anything': 'No workflow can run on this server right now. Try again later.',
    'chat.failed.server':
      'Something went wrong on the GPU server. The operator can see what; try again, or with other settings.',
    'chat.failed.delivery': 'The images were made but could not be sent here.',
    'chat.rerollOf': 'Reroll of job {id}',
    'chat.caption.time': '{s} s',
    'chat.tier.default': 'default',
    'chat.settings.backToDefault': 'default (the server’s choice)',
    'chat.tier.admin': 'admin',
    'chat.image.notUsed':
      'Your image was not used: the workflow “{template}” takes none. Add --workflow {suggestion} to use it.',
  },
  zh: {
    'chat.status.queued': '排队中：第 {position} 位，{eta}',
    'chat.status.sent': '已发送到 GPU，等待开始',
    'chat.status.serverQueue': '在 GPU 服务器上排队，前面还有 {ahead} 个',
    'chat.status.starting': '正在启动…',
    'chat.status.otherRunning': '你的另一个任务正在运行；它完成后此任务才会开始。',
    'chat.status.othersRunning': '你有 {count} 个任务正在运行；其中一个完成后此任务才会开始。',
    'chat.eta.about': '预计还需 {eta}',
    'chat.eta.estimating': '正在估算等待时间…',
    'chat.queue.mine': '你的任务：',
    'chat.queue.job': '• {id}“{prompt}”：{state}',
    'chat.queue.jobWaiting': '• {id}“{prompt}”：排队第 {position} 位，{eta}',
    'chat.queue.summary': '总计：{waiting} 个排队，{running} 个正在 {backends} 台服务器上运行。',
    'chat.cannot.upscale': '此服务器目前无法放大图片。',
    'chat.cannot.variation': '此服务器目前无法生成变体。',
    'chat.cannot.template': '工作流“{template}”目前无法在此服务器上运行；/workflows 会列出可用的工作流。',
    'chat.cannot.model': '此处没有该模型。试试 --model {models}。',
    'chat.cannot.anything': '此服务器目前无法运行任何工作流，请稍后再试。',
    'chat.failed.server': 'GPU 服务器出错了。管理员可以看到原因；请重试，或换用其他设置。',
    'chat.failed.delivery': '图片已生成，但无法发送到这里。',
    'chat.rerollOf': '任务 {id} 的重新生成',
    'chat.caption.time': '{s} 秒',
    'chat.tier.default': '默认',
    'chat.settings.backToDefault': '默认（由服务器选择）',
    'chat.tier.admin': '管理员',
    'chat.image.notUsed':
      '你的图片没有被使用：工作流“{template}”不接受图片。加上 --workflow {suggestion} 即可使用。',
  },
});
