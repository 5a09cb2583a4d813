import { type Catalog, registerCatalog } from '#shared/i18n.ts';

/** Messages of `src/workflows` (codes in `src/workflows/errors.ts`). */
export const workflowsCatalog: Catalog = registerCatalog({
  en: {
    'workflows.param.unknown': 'This workflow has no parameter "{param}". Available: {known}.',
    'workflows.param.not_user_settable': 'The parameter "{param}" can only be set by the operator.',
    'workflows.param.wrong_type': 'The parameter "{param}" must be a {expected} value.',
    'workflows.param.not_integer': 'The parameter "{param}" must be a whole number (got {value}).',
    'workflows.param.out_of_range': 'The parameter "{param}" must be between {min} and {max} (got {value}).',
    'workflows.param.not_a_choice': '"{value}" is not allowed for "{param}". Choose one of: {choices}.',
    'workflows.aspect.invalid': '"{value}" is not an aspect ratio. Try one of: {examples}.',
    'workflows.check.unknown_node':
      'Node {node} uses "{class}", which this server does not have (custom node not installed).',
    'workflows.check.bad_choice':
      'Node {node} ({class}): "{value}" is not installed for {input}. Installed: {choices}.',
    'workflows.check.no_choices_installed':
      'Node {node} ({class}): "{value}" is not installed for {input}, and nothing is installed for it.',
    'workflows.check.missing_input': 'Node {node} ({class}) is missing the required input {input}.',
    'workflows.check.out_of_range': 'Node {node} ({class}): {input} = {value} is outside {min}…{max}.',
    'workflows.check.bad_link':
      'Node {node} ({class}): {input} links to node {target}, which does not exist.',
    'workflows.model.unknown_slot': 'The workflow "{template}" loads no model "{slot}" (it has: {known}).',
    'workflows.lora.unsupported': 'The workflow "{template}" has no model loader a LoRA can be applied to.',
  },
  zh: {
    'workflows.param.unknown': '此工作流没有参数“{param}”。可用参数：{known}。',
    'workflows.param.not_user_settable': '参数“{param}”只能由管理员设置。',
    'workflows.param.wrong_type': '参数“{param}”必须是 {expected} 类型的值。',
    'workflows.param.not_integer': '参数“{param}”必须是整数（收到 {value}）。',
    'workflows.param.out_of_range': '参数“{param}”必须在 {min} 到 {max} 之间（收到 {value}）。',
    'workflows.param.not_a_choice': '“{value}”不是“{param}”的可选值。可选：{choices}。',
    'workflows.aspect.invalid': '“{value}”不是有效的宽高比。可以试试：{examples}。',
    'workflows.check.unknown_node': '节点 {node} 使用了“{class}”，此服务器上没有该节点（未安装自定义节点）。',
    'workflows.check.bad_choice': '节点 {node}（{class}）：{input} 的“{value}”未安装。已安装：{choices}。',
    'workflows.check.no_choices_installed':
      '节点 {node}（{class}）：{input} 的“{value}”未安装，且该项目前没有任何已安装的文件。',
    'workflows.check.missing_input': '节点 {node}（{class}）缺少必需的输入 {input}。',
    'workflows.check.out_of_range': '节点 {node}（{class}）：{input} = {value} 超出范围 {min}…{max}。',
    'workflows.check.bad_link': '节点 {node}（{class}）：{input} 连接到了不存在的节点 {target}。',
    'workflows.model.unknown_slot': '工作流“{template}”没有加载名为“{slot}”的模型（它有：{known}）。',
    'workflows.lora.unsupported': '工作流“{template}”没有可以应用 LoRA 的模型加载器。',
  },
});
