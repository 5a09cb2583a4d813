import { COMMON_ASPECTS } from '../src/workflows/aspect.ts';
import { ownerKey } from '../src/core/jobs/types.ts';
import { t } from '../src/shared/i18n.ts';
import type { ChatService } from '../src/core/chat/chat-service.ts';
import type { WorkflowTemplate } from '../src/workflows/types.ts';
import { installedModelChoices } from './model-choices.ts';
import { defineCommand, text } from './types.ts';

/** The `workflow` value that clears a saved default template. */
export const DEFAULT_WORKFLOW = 'default';

/** `/settings`: your defaults. With no option it shows them; with options it saves them. */
export const settings = defineCommand({
  name: 'settings',
  description: {
    en: 'Your defaults: workflow, aspect, steps, private results',
    zh: '你的默认设置：工作流、比例、步数、私密结果',
  },
  options: [
    {
      name: 'workflow',
      kind: 'string',
      autocomplete: true,
      description: {
        en: 'Default workflow ("default": the server\'s)',
        zh: '默认工作流（“default”：服务器默认）',
      },
    },
    {
      name: 'aspect',
      kind: 'string',
      choices: COMMON_ASPECTS.map((a) => ({ name: a, value: a })),
      description: { en: 'Default aspect ratio', zh: '默认宽高比' },
    },
    {
      name: 'steps',
      kind: 'integer',
      min: 1,
      max: 150,
      description: { en: 'Default steps', zh: '默认步数' },
    },
    {
      name: 'private',
      kind: 'boolean',
      description: { en: 'Only you see your results', zh: '结果仅自己可见' },
    },
    {
      name: 'model',
      kind: 'string',
      autocomplete: true,
      description: {
        en: 'Installed model for your workflow ("default": the template\'s)',
        zh: '你的工作流使用的已安装模型（“default”：模板默认）',
      },
    },
  ],
  private: true,
  async run(ctx) {
    const requester = await ctx.chat.resolve(ctx.requester);
    const key = ownerKey(requester);
    const o = ctx.options;
    const workflow = o.workflow === undefined ? undefined : String(o.workflow);
    // `default` goes back to the server's choice (the template a plain prompt runs).
    const backToDefault = workflow === DEFAULT_WORKFLOW;
    const template = workflow === undefined || backToDefault ? undefined : ctx.chat.templates.get(workflow);
    if (workflow !== undefined && !backToDefault && !template) {
      return { kind: 'error', message: { code: 'jobs.unknownTemplate', params: { template: workflow } } };
    }
    if (template && !ctx.chat.templates.runnable(template)) {
      return {
        kind: 'error',
        message: { code: 'chat.cannot.template', params: { template: template.name } },
      };
    }
    if (backToDefault) await ctx.chat.settings.unset(key, ['workflow']);
    // A model is chosen for the workflow in force: the one named now, else the saved one, else the default.
    const saved = await ctx.chat.settings.get(key);
    const inForce =
      template ??
      (saved.workflow && !backToDefault ? ctx.chat.templates.get(saved.workflow) : undefined) ??
      ctx.chat.offers.defaultTemplate();
    const model = o.model === undefined ? undefined : String(o.model);
    let models: Record<string, string> | undefined;
    if (model !== undefined && inForce) {
      models = { ...saved.models };
      if (model === DEFAULT_WORKFLOW) delete models[inForce.name];
      else {
        const file = installedModel(ctx.chat, inForce, model, ctx.place.communityId);
        if (!file) {
          const params = { model, template: inForce.name };
          return { kind: 'error', message: { code: 'chat.settings.modelNotInstalled', params } };
        }
        models[inForce.name] = file;
      }
    }
    const changed = [o.workflow, o.aspect, o.steps, o.private, models].some((v) => v !== undefined);
    const current = changed
      ? await ctx.chat.settings.set(key, {
          workflow: backToDefault ? undefined : workflow,
          aspect: o.aspect === undefined ? undefined : String(o.aspect),
          steps: o.steps === undefined ? undefined : Number(o.steps),
          private: o.private === undefined ? undefined : Boolean(o.private),
          models,
        })
      : saved;
    const dflt = t(ctx.locale, 'chat.settings.default');
    const chosen = inForce ? current.models?.[inForce.name] : undefined;
    return text([
      ...(changed ? [{ code: 'chat.settings.saved' }] : []),
      {
        code: 'chat.settings.show',
        params: {
          workflow: current.workflow ?? dflt,
          aspect: current.aspect ?? dflt,
          steps: current.steps ?? dflt,
          private: current.private ? '✓' : '✗',
        },
      },
      ...(inForce && (chosen || model !== undefined)
        ? [{ code: 'chat.settings.model', params: { template: inForce.name, model: chosen ?? dflt } }]
        : []),
    ]);
  },
  complete(option, typed, ctx) {
    if (option === 'model') return installedModelChoices(ctx, typed);
    if (option !== 'workflow') return [];
    const dflt = { name: t(ctx.locale, 'chat.settings.backToDefault'), value: DEFAULT_WORKFLOW };
    const names = ctx.chat.offers
      .runnable()
      .map((tpl) => tpl.name)
      .filter((n) => n.includes(typed.toLowerCase()))
      .slice(0, 24)
      .map((n) => ({ name: n, value: n }));
    return [dflt, ...names];
  },
});

/** The installed file `typed` names for the template's main model (exact, or without its extension, any case). */
function installedModel(
  chat: ChatService,
  template: WorkflowTemplate,
  typed: string,
  communityId: string | undefined,
): string | undefined {
  const want = typed.trim().toLowerCase();
  const files = chat.templates.installedModels(template, { communityId }).models.map((m) => m.file);
  return files.find((f) => f.toLowerCase() === want || f.toLowerCase().replace(/\.[^.]+$/, '') === want);
}
