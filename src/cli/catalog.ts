import { type Catalog, registerCatalog } from '#shared/i18n.ts';

/** Messages of the `comfyrelay` command line (`src/cli/`): help, tables, progress, errors. */
export const cliCatalog: Catalog = registerCatalog({
  en: {
    'cli.help.main': `ComfyRelay {version}: share ComfyUI servers from the command line.

Usage: comfyrelay <command> [options]

Commands:
  imagine "<prompt --flags>"   make images through the job engine and save them
  doctor                       check backends, models and custom nodes for every template
  workflows                    list templates and the flags each accepts
  workflows inspect <file>     show how an exported workflow's parameters were found
  workflows convert <file>     write a UI-format workflow in the API format (a template)
  retention run [--dry-run]    remove expired jobs' files, fit disk budgets, compact the database now

Options: --help, --version, --lang en|zh
Run "comfyrelay <command> --help" for a command's options.`,
    'cli.help.imagine': `Usage: comfyrelay imagine "<prompt and flags>" [options]

Makes images with the same prompt grammar as /imagine, e.g.
  comfyrelay imagine "a lighthouse at dusk --ar 16:9 --steps 30 --seed 42"
  comfyrelay imagine "a fox <lora:film_grain:0.7> --model dreamshaper_8 --lora detail:0.5"
Run "comfyrelay workflows" to see each template's flags; --model takes a template or an installed model.

Options:
  -o, --out DIR       where to save the images (default ./out)
  --backend URL       use this ComfyUI instead of the configured backends
  --config FILE       configuration file (default comfyrelay.config.yaml)
  --image FILE        start from this image (an img2img template unless --workflow names one,
                      e.g. --workflow upscale-4x)
  --n N               N images; on a template without a batch parameter, N jobs with seeds
                      seed, seed+1, … (random without --seed)
  --json              print one JSON result on stdout and nothing else (a list when --n queues several jobs)
  --lang en|zh        language of messages
Ctrl-C cancels every job of the run on ComfyUI and exits with code 130.`,
    'cli.help.doctor': `Usage: comfyrelay doctor [--config FILE] [--json] [--fix [--yes]] [--lang en|zh]

Checks that every configured ComfyUI backend answers (version, devices, VRAM) and that every template's
node types and models are installed on some backend, with how to fix what is missing.
--fix proposes an installed model for each missing one and writes the answers to the configuration
file's models: section (comments kept); --yes takes every proposal without asking.
Exit code: 0 all well, 1 something is broken, 2 the configuration is invalid.`,
    'cli.help.workflows': `Usage: comfyrelay workflows [--config FILE] [--json] [--lang en|zh]
       comfyrelay workflows inspect <file.json> [--json]

Lists the templates with their description, tags and the flags users may set (ranges, choices,
defaults). "inspect" shows, for any workflow exported with "Save (API Format)", where each parameter
was found and through which links, which nodes are outputs, and what could not be found.`,
    'cli.help.inspect': `Usage: comfyrelay workflows inspect <file.json> [--object-info FILE] [--json] [--lang en|zh]

Shows where each parameter of a workflow binds, the links walked to find it, the sampling passes and
the settings each keeps, the output nodes, and what could not be found. Reads API-format exports and
the UI format ("Save"). --object-info takes a server's GET /object_info saved as JSON: it names the
widget values of UI-format files and the outputs of custom nodes. --json prints the report as JSON.`,
    'cli.command.unknown': 'Unknown command "{command}".',
    'cli.command.unknown_suggest': 'Unknown command "{command}"; did you mean "{suggestion}"?',
    'cli.args.unknown': 'Unknown option {option}.',
    'cli.args.unknown_suggest': 'Unknown option {option}; did you mean {suggestion}?',
    'cli.args.value': '{option} needs a value.',
    'cli.args.extra': 'Unexpected argument "{value}".',
    'cli.args.invalid': 'Invalid arguments: {reason}',
    'cli.args.see_help': 'See "{command} --help".',
    'cli.col.parameter': 'PARAMETER',
    'cli.col.bound_to': 'BOUND TO',
    'cli.col.links': 'LINKS WALKED',
    'cli.col.flag': 'FLAG',
    'cli.col.accepts': 'ACCEPTS',
    'cli.col.default': 'DEFAULT',
    'cli.col.description': 'DESCRIPTION',
    'cli.col.backend': 'BACKEND',
    'cli.col.url': 'URL',
    'cli.col.status': 'STATUS',
    'cli.col.version': 'COMFYUI',
    'cli.col.devices': 'DEVICES',
    'cli.col.template': 'TEMPLATE',
    'cli.inspect.no_file': 'Give the workflow file to inspect: comfyrelay workflows inspect <file.json>.',
    'cli.inspect.unreadable': 'Cannot read {file} ({reason}).',
    'cli.inspect.invalid': '{file} at {path}: {reason}',
    'cli.inspect.title': 'Workflow {file}',
    'cli.inspect.not_found': 'not found',
    'cli.inspect.outputs': 'Output nodes: {outputs}',
    'cli.inspect.none': 'none',
    'cli.inspect.missing': 'Not found in this workflow: {names}',
    'cli.inspect.pass': 'Pass #{node} {class}{after}: keeps its own {keeps}',
    'cli.inspect.pass_after': ' (after #{node})',
    'cli.inspect.slot': 'Model slot {name}: #{node} {loader}.{input} = {file}',
    'cli.inspect.pass_continues': ' (finishes the leftover noise of #{node})',
    'cli.workflows.dir_unreadable': 'Cannot read the workflows folder {dir} ({reason}).',
    'cli.workflows.none': 'No templates in {dir}.',
    'cli.workflows.load_error': 'Template not loaded: {file} at {path}: {reason}',
    'cli.doctor.backends': 'Backends',
    'cli.doctor.reachable': 'reachable',
    'cli.doctor.unreachable': 'UNREACHABLE: {reason}',
    'cli.doctor.device': '{name}, VRAM {total} ({free} free)',
    'cli.doctor.templates': 'Templates (can each backend run it?)',
    'cli.doctor.ok': 'ok',
    'cli.doctor.problems': '{count} problem(s)',
    'cli.doctor.template_on': 'Template {template} on {backend} ({file}):',
    'cli.doctor.runs_nowhere': '✗ Template {template} cannot run on any backend.',
    'cli.doctor.fix_node':
      'fix: install the custom node that provides "{class}" (e.g. with ComfyUI-Manager), then restart ComfyUI',
    'cli.doctor.fix_model': 'fix: download {file} into {folder} on that server',
    'cli.doctor.fix_file': 'fix: install {file} where {class} looks for {input}',
    'cli.doctor.all_ok': '✓ All backends are reachable and every template can run.',
    'cli.doctor.broken': '✗ Something is broken; see above.',
    'cli.imagine.no_prompt': 'Describe what to draw: comfyrelay imagine "a lighthouse at dusk --ar 16:9".',
    'cli.imagine.bad_backend': '--backend must be an http:// or https:// URL (got "{url}").',
    'cli.imagine.no_templates': 'No usable template in {dir}; run "comfyrelay doctor".',
    'cli.progress.step': 'step',
    'cli.progress.elapsed': 'elapsed',
    'cli.progress.eta': 'ETA',
    'cli.imagine.submitted': 'Job {job} submitted ({template}).',
    'cli.imagine.queued': 'Job {job} queued ({template}), position {position}.',
    'cli.imagine.queued_eta': 'Job {job} queued ({template}), position {position}, about {eta} to go.',
    'cli.imagine.dispatched': 'Sent to {backend}.',
    'cli.imagine.saved': 'Saved {path}',
    'cli.imagine.done': 'Done in {duration}: {count} file(s), seed {seed}.',
    'cli.imagine.canceling': 'Canceling the job on ComfyUI… (Ctrl-C again to quit at once)',
    'cli.imagine.canceled': 'Canceled.',
    'cli.imagine.failed': 'The job failed: {reason}',
    'cli.imagine.write_failed': 'Cannot write to {dir}: {reason}',
    'cli.imagine.image_unreadable': 'Cannot read the image {file} ({reason}).',
    'cli.imagine.not_an_image': '{file} is not an image ComfyUI can read: use a PNG, JPEG, WebP or GIF file.',
    'cli.imagine.bad_image': '{file}: {reason}',
    'cli.imagine.image_unused':
      'The workflow "{template}" takes no input image; choose one that does with --workflow (e.g. an img2img or upscale template).',
  },
  zh: {
    'cli.help.main': `ComfyRelay {version}：在命令行中共享 ComfyUI 服务器。

用法：comfyrelay <命令> [选项]

命令：
  imagine "<提示词 --参数>"    通过任务引擎生成图片并保存
  doctor                       检查每个模板所需的后端、模型和自定义节点
  workflows                    列出模板及其可用参数
  workflows inspect <文件>     显示导出的工作流中各参数是如何找到的
  workflows convert <文件>     将 UI 格式的工作流写成 API 格式（用作模板）
  retention run [--dry-run]    立即清理过期文件、执行磁盘配额并压缩数据库

选项：--help、--version、--lang en|zh
运行 "comfyrelay <命令> --help" 查看该命令的选项。`,
    'cli.help.imagine': `用法：comfyrelay imagine "<提示词和参数>" [选项]

使用与 /imagine 相同的提示词语法生成图片，例如
  comfyrelay imagine "黄昏时的灯塔 --ar 16:9 --steps 30 --seed 42"
  comfyrelay imagine "一只狐狸 <lora:film_grain:0.7> --model dreamshaper_8 --lora detail:0.5"
运行 "comfyrelay workflows" 查看每个模板的参数；--model 可以是模板名，也可以是已安装的模型。

选项：
  -o, --out 目录      图片保存位置（默认 ./out）
  --backend URL       使用此 ComfyUI，而不是配置中的后端
  --config 文件       配置文件（默认 comfyrelay.config.yaml）
  --image 文件        以此图片为起点（默认使用图生图模板，可用 --workflow 指定其他模板，
                      例如 --workflow upscale-4x）
  --n N               生成 N 张图；模板没有批量参数时排 N 个任务，种子依次为 seed、seed+1……
                      （未给 --seed 时随机）
  --json              只在标准输出打印一个 JSON 结果（--n 排多个任务时为列表）
  --lang en|zh        消息语言
按 Ctrl-C 会在 ComfyUI 上取消本次运行的所有任务，并以退出码 130 退出。`,
    'cli.help.doctor': `用法：comfyrelay doctor [--config 文件] [--json] [--fix [--yes]] [--lang en|zh]

检查每个已配置的 ComfyUI 后端能否连接（版本、设备、显存），以及每个模板所需的节点类型和模型
是否已安装在某个后端上，并说明如何修复缺失的部分。
--fix 为每个缺失的模型推荐一个已安装的模型，并把选择写入配置文件的 models: 部分（保留注释）；
--yes 不再逐一询问，直接接受所有建议。
退出码：0 一切正常，1 有问题，2 配置无效。`,
    'cli.help.workflows': `用法：comfyrelay workflows [--config 文件] [--json] [--lang en|zh]
      comfyrelay workflows inspect <文件.json> [--json]

列出模板及其说明、标签和用户可设置的参数（范围、可选值、默认值）。
"inspect" 针对任何用 "Save (API Format)" 导出的工作流，显示每个参数在哪里找到、经过了哪些连接、
哪些节点是输出，以及哪些没有找到。`,
    'cli.help.inspect': `用法：comfyrelay workflows inspect <文件.json> [--object-info 文件] [--json] [--lang en|zh]

显示工作流中每个参数绑定到哪里、查找时经过的连接、各个采样阶段及其保留的设置、输出节点，以及未找到的内容。
支持 API 格式导出和 UI 格式（“Save”）。--object-info 读取保存为 JSON 的服务器 GET /object_info：
用于为 UI 格式文件的控件值命名，并识别自定义节点的输出。--json 以 JSON 打印报告。`,
    'cli.command.unknown': '未知命令“{command}”。',
    'cli.command.unknown_suggest': '未知命令“{command}”；您是想输入“{suggestion}”吗？',
    'cli.args.unknown': '未知选项 {option}。',
    'cli.args.unknown_suggest': '未知选项 {option}；您是想输入 {suggestion} 吗？',
    'cli.args.value': '{option} 需要一个值。',
    'cli.args.extra': '多余的参数“{value}”。',
    'cli.args.invalid': '参数无效：{reason}',
    'cli.args.see_help': '请参阅 "{command} --help"。',
    'cli.col.parameter': '参数',
    'cli.col.bound_to': '绑定到',
    'cli.col.links': '经过的连接',
    'cli.col.flag': '选项',
    'cli.col.accepts': '取值',
    'cli.col.default': '默认值',
    'cli.col.description': '说明',
    'cli.col.backend': '后端',
    'cli.col.url': '地址',
    'cli.col.status': '状态',
    'cli.col.version': 'ComfyUI 版本',
    'cli.col.devices': '设备',
    'cli.col.template': '模板',
    'cli.inspect.no_file': '请指定要检查的工作流文件：comfyrelay workflows inspect <文件.json>。',
    'cli.inspect.unreadable': '无法读取 {file}（{reason}）。',
    'cli.inspect.invalid': '{file} 的 {path} 处：{reason}',
    'cli.inspect.title': '工作流 {file}',
    'cli.inspect.not_found': '未找到',
    'cli.inspect.outputs': '输出节点：{outputs}',
    'cli.inspect.none': '无',
    'cli.inspect.missing': '此工作流中未找到：{names}',
    'cli.inspect.pass': '采样阶段 #{node} {class}{after}：保留自己的 {keeps}',
    'cli.inspect.pass_after': '（接在 #{node} 之后）',
    'cli.inspect.slot': '模型槽 {name}：#{node} {loader}.{input} = {file}',
    'cli.inspect.pass_continues': '（完成 #{node} 的剩余噪声）',
    'cli.workflows.dir_unreadable': '无法读取工作流目录 {dir}（{reason}）。',
    'cli.workflows.none': '{dir} 中没有模板。',
    'cli.workflows.load_error': '模板未加载：{file} 的 {path} 处：{reason}',
    'cli.doctor.backends': '后端',
    'cli.doctor.reachable': '可连接',
    'cli.doctor.unreachable': '无法连接：{reason}',
    'cli.doctor.device': '{name}，显存 {total}（可用 {free}）',
    'cli.doctor.templates': '模板（各后端能否运行？）',
    'cli.doctor.ok': '正常',
    'cli.doctor.problems': '{count} 个问题',
    'cli.doctor.template_on': '模板 {template} 在 {backend} 上（{file}）：',
    'cli.doctor.runs_nowhere': '✗ 模板 {template} 在任何后端上都无法运行。',
    'cli.doctor.fix_node':
      '修复：安装提供“{class}”的自定义节点（例如通过 ComfyUI-Manager），然后重启 ComfyUI',
    'cli.doctor.fix_model': '修复：在该服务器上把 {file} 下载到 {folder}',
    'cli.doctor.fix_file': '修复：把 {file} 安装到 {class} 查找 {input} 的位置',
    'cli.doctor.all_ok': '✓ 所有后端均可连接，每个模板都能运行。',
    'cli.doctor.broken': '✗ 存在问题，详见上文。',
    'cli.imagine.no_prompt': '请描述要画的内容：comfyrelay imagine "黄昏时的灯塔 --ar 16:9"。',
    'cli.imagine.bad_backend': '--backend 必须是 http:// 或 https:// 地址（收到“{url}”）。',
    'cli.imagine.no_templates': '{dir} 中没有可用的模板；请运行 "comfyrelay doctor"。',
    'cli.progress.step': '步骤',
    'cli.progress.elapsed': '已用',
    'cli.progress.eta': '剩余',
    'cli.imagine.submitted': '任务 {job} 已提交（{template}）。',
    'cli.imagine.queued': '任务 {job} 已排队（{template}），位置 {position}。',
    'cli.imagine.queued_eta': '任务 {job} 已排队（{template}），位置 {position}，大约还需 {eta}。',
    'cli.imagine.dispatched': '已发送到 {backend}。',
    'cli.imagine.saved': '已保存 {path}',
    'cli.imagine.done': '完成，用时 {duration}：{count} 个文件，种子 {seed}。',
    'cli.imagine.canceling': '正在 ComfyUI 上取消任务……（再按一次 Ctrl-C 立即退出）',
    'cli.imagine.canceled': '已取消。',
    'cli.imagine.failed': '任务失败：{reason}',
    'cli.imagine.write_failed': '无法写入 {dir}：{reason}',
    'cli.imagine.image_unreadable': '无法读取图片 {file}（{reason}）。',
    'cli.imagine.not_an_image': '{file} 不是 ComfyUI 能读取的图片：请使用 PNG、JPEG、WebP 或 GIF 文件。',
    'cli.imagine.bad_image': '{file}：{reason}',
    'cli.imagine.image_unused':
      '工作流“{template}”不接受输入图片；请用 --workflow 选择接受图片的工作流（例如图生图或放大模板）。',
  },
});
