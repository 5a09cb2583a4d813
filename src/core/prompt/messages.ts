import { type Catalog, registerCatalog } from '../../shared/i18n.ts';

/** Refusals of the `/imagine` pipeline that no other area already words (`imagine-pipeline.ts`). */
export const promptCatalog: Catalog = registerCatalog({
  en: {
    'prompt.noTemplates': 'No workflow can be used here.',
    'prompt.image.unused':
      'The workflow "{template}" takes no input image: choose one that does (image-to-image or upscale), or leave the image out.',
  },
  zh: {
    'prompt.noTemplates': '此处没有可用的工作流。',
    'prompt.image.unused': '工作流“{template}”不接受输入图片：请选择图生图或放大工作流，或不要附加图片。',
  },
});
