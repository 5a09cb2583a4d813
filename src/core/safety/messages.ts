import { type Catalog, registerCatalog } from '#shared/i18n.ts';

/** Messages of image safety: the answers of `/admin safety`. */
export const safetyCatalog: Catalog = registerCatalog({
  en: {
    'safety.admin.usage':
      'Usage: /admin safety <show|channel|community|adult|thresholds|unknown|review|original> [value]. Actions: allow, spoiler, blur, block (or default).',
    'safety.admin.show':
      'Image safety here (ordinary place): {action} for unsafe images, unknown counts as {unknown}, thresholds explicit {explicit}, suggestive {suggestive}, previews {previews}. Community settings: {overrides}.',
    'safety.admin.showAdult':
      'Image safety here (age-restricted place): {action} for unsafe images, unknown counts as {unknown}, thresholds explicit {explicit}, suggestive {suggestive}, previews {previews}. Community settings: {overrides}.',
    'safety.admin.changed': 'Image safety changed: {what}.',
    'safety.admin.noChannel': 'This place has no channel of its own: use "community".',
    'safety.admin.noCommunity': 'Image safety is set per server or group: run this there.',
    'safety.admin.review.none': 'No image was blocked or blurred here recently.',
    'safety.admin.review.line': '{when} · job {job} #{output} · {action} ({rule}) · {where} · {scores}',
    'safety.admin.review.hint': 'To see an original privately: /admin safety original <job>#<n>.',
    'safety.admin.original': 'The original of job {job} #{output} ({action}, {rule}), for you only.',
    'safety.admin.notHere': 'Job {job} #{output} was not screened in this community.',
  },
  zh: {
    'safety.admin.usage':
      '用法：/admin safety <show|channel|community|adult|thresholds|unknown|review|original> [值]。处理方式：allow、spoiler、blur、block（或 default）。',
    'safety.admin.show':
      '此处（普通场所）的图片安全设置：不安全图片 {action}，无法判断的图片按 {unknown} 处理，阈值 explicit {explicit}、suggestive {suggestive}，实时预览 {previews}。社区设置：{overrides}。',
    'safety.admin.showAdult':
      '此处（年龄限制场所）的图片安全设置：不安全图片 {action}，无法判断的图片按 {unknown} 处理，阈值 explicit {explicit}、suggestive {suggestive}，实时预览 {previews}。社区设置：{overrides}。',
    'safety.admin.changed': '图片安全设置已修改：{what}。',
    'safety.admin.noChannel': '此处没有单独的频道：请使用 "community"。',
    'safety.admin.noCommunity': '图片安全按服务器或群组设置：请在那里运行此命令。',
    'safety.admin.review.none': '最近此处没有被拦截或模糊处理的图片。',
    'safety.admin.review.line': '{when} · 任务 {job} #{output} · {action}（{rule}）· {where} · {scores}',
    'safety.admin.review.hint': '私下查看原图：/admin safety original <任务>#<序号>。',
    'safety.admin.original': '任务 {job} #{output} 的原图（{action}，{rule}），仅你可见。',
    'safety.admin.notHere': '任务 {job} #{output} 不是在此社区中检查的。',
  },
});
