import { type Catalog, registerCatalog } from '#shared/i18n.ts';

/** Messages of `comfyrelay doctor --fix` and of the model notes in its report. */
export const doctorCatalog: Catalog = registerCatalog({
  en: {
    'cli.doctor.kind.checkpoint': 'checkpoints',
    'cli.doctor.kind.diffusion_model': 'diffusion models',
    'cli.doctor.kind.vae': 'VAEs',
    'cli.doctor.kind.text_encoder': 'text encoders',
    'cli.doctor.kind.upscale_model': 'upscale models',
    'cli.doctor.models.heading': 'Models',
    'cli.doctor.models.missing':
      '{template}: {file} is missing; installed {kind}: {installed} — use {proposal}?',
    'cli.doctor.models.ask': '[Enter = yes, n = no, or a number or name from the list] ',
    'cli.doctor.models.none':
      '{template}: {file} is missing and no backend that can run it has any {kind}: download one into {folder}.',
    'cli.doctor.models.chosen': '  → {template} uses {file} ({slot})',
    'cli.doctor.models.skipped': '  → {template}: {slot} left as it is',
    'cli.doctor.models.nothing': 'Every model the templates load is installed or mapped.',
    'cli.doctor.models.not_written':
      'Nothing written for these: run "comfyrelay doctor --fix --yes" to accept the proposals, or answer them in a terminal.',
    'cli.doctor.models.written': 'Wrote {count} model choice(s) to {file} (models: section).',
    'cli.doctor.models.write_failed': 'Could not write {file}: {reason}',
    'cli.doctor.models.substituted':
      '{template} on {backend}: runs with {using} instead of {missing} ({slot}).',
    'cli.doctor.models.hint': 'To use models that are installed instead: comfyrelay doctor --fix',
  },
  zh: {
    'cli.doctor.kind.checkpoint': '检查点模型',
    'cli.doctor.kind.diffusion_model': '扩散模型',
    'cli.doctor.kind.vae': 'VAE',
    'cli.doctor.kind.text_encoder': '文本编码器',
    'cli.doctor.kind.upscale_model': '放大模型',
    'cli.doctor.models.heading': '模型',
    'cli.doctor.models.missing': '{template}：缺少 {file}；已安装的{kind}：{installed} —— 使用 {proposal}？',
    'cli.doctor.models.ask': '[回车 = 是，n = 否，或输入列表中的序号或名称] ',
    'cli.doctor.models.none':
      '{template}：缺少 {file}，且能运行它的后端上没有任何{kind}：请下载一个到 {folder}。',
    'cli.doctor.models.chosen': '  → {template} 使用 {file}（{slot}）',
    'cli.doctor.models.skipped': '  → {template}：{slot} 保持不变',
    'cli.doctor.models.nothing': '各模板加载的模型都已安装或已映射。',
    'cli.doctor.models.not_written':
      '以上未写入：运行 "comfyrelay doctor --fix --yes" 接受这些建议，或在终端中逐一回答。',
    'cli.doctor.models.written': '已将 {count} 项模型选择写入 {file}（models: 部分）。',
    'cli.doctor.models.write_failed': '无法写入 {file}：{reason}',
    'cli.doctor.models.substituted': '{template} 在 {backend} 上：使用 {using} 代替 {missing}（{slot}）。',
    'cli.doctor.models.hint': '如需改用已安装的模型：comfyrelay doctor --fix',
  },
});
