import { type Catalog, registerCatalog } from '#shared/i18n.ts';

/** Refusals of the `/imagine` pipeline that no other area already words (`imagine-pipeline.ts`). */
export const promptCatalog: Catalog = registerCatalog({
  en: {
    'prompt.noTemplates': 'No workflow can be used here.',
    'prompt.image.unused':
      'The workflow "{template}" takes no input image: choose one that does (image-to-image or upscale), or leave the image out.',
    'prompt.model.unknown':
      '"{value}" is neither a workflow nor an installed model. Workflows: {templates}. Models: {models}.',
    'prompt.model.unknownSuggest':
      '"{value}" is neither a workflow nor an installed model. Did you mean "{suggestion}"?',
    'prompt.model.ambiguous': '"{value}" could be any of these models: {files}. Write more of the name.',
    'prompt.model.notAllowed':
      'The model "{file}" may not be chosen with "{template}" here. Allowed: {allowed}.',
    'prompt.model.noSlot': 'The workflow "{template}" has no model to choose.',
    'prompt.lora.syntax': 'Cannot read the LoRA {lora}: write it as <lora:name:0.8> or --lora name:0.8.',
    'prompt.lora.badStrength': 'The strength of the LoRA {lora} must be a number (got "{value}").',
    'prompt.lora.strengthRange':
      'The strength of the LoRA {lora} must be between {min} and {max} (got {value}).',
    'prompt.lora.tooMany': 'At most {max} LoRA(s) per request (got {count}).',
    'prompt.lora.unknown': 'The LoRA "{lora}" is not installed. Installed: {installed}.',
    'prompt.lora.unknownSuggest': 'The LoRA "{lora}" is not installed. Did you mean "{suggestion}"?',
    'prompt.lora.ambiguous': '"{lora}" could be any of these LoRAs: {files}. Write more of the name.',
    'prompt.lora.notAllowed': 'The LoRA "{lora}" may not be used here.',
    'prompt.lora.twice': 'The LoRA "{lora}" is given twice.',
  },
  zh: {
    'prompt.noTemplates': '此处没有可用的工作流。',
    'prompt.image.unused': '工作流“{template}”不接受输入图片：请选择图生图或放大工作流，或不要附加图片。',
    'prompt.model.unknown':
      '“{value}”既不是工作流，也不是已安装的模型。工作流：{templates}。模型：{models}。',
    'prompt.model.unknownSuggest': '“{value}”既不是工作流，也不是已安装的模型。你是不是想写“{suggestion}”？',
    'prompt.model.ambiguous': '“{value}”可能指以下任一模型：{files}。请写出更完整的名称。',
    'prompt.model.notAllowed': '此处不能为“{template}”选择模型“{file}”。可选：{allowed}。',
    'prompt.model.noSlot': '工作流“{template}”没有可选择的模型。',
    'prompt.lora.syntax': '无法识别 LoRA {lora}：请写成 <lora:名称:0.8> 或 --lora 名称:0.8。',
    'prompt.lora.badStrength': 'LoRA {lora} 的强度必须是数字（收到“{value}”）。',
    'prompt.lora.strengthRange': 'LoRA {lora} 的强度必须在 {min} 到 {max} 之间（收到 {value}）。',
    'prompt.lora.tooMany': '每次请求最多使用 {max} 个 LoRA（收到 {count} 个）。',
    'prompt.lora.unknown': 'LoRA“{lora}”未安装。已安装：{installed}。',
    'prompt.lora.unknownSuggest': 'LoRA“{lora}”未安装。你是不是想写“{suggestion}”？',
    'prompt.lora.ambiguous': '“{lora}”可能指以下任一 LoRA：{files}。请写出更完整的名称。',
    'prompt.lora.notAllowed': '此处不能使用 LoRA“{lora}”。',
    'prompt.lora.twice': 'LoRA“{lora}”重复出现了。',
  },
});
