import { type Catalog, registerCatalog } from '#shared/i18n.ts';

/** Messages of `comfyrelay workflows convert`. */
export const convertCatalog: Catalog = registerCatalog({
  en: {
    'cli.convert.usage': `Usage: comfyrelay workflows convert <file.json> (--object-info FILE | --backend URL) [-o OUT.json]

Writes a workflow saved with ComfyUI's plain "Save" (the UI format) in the API format, the form the
server loads as a template without asking a ComfyUI at every start. The widget values are named from a
server's GET /object_info: saved as JSON (--object-info) or asked of a running ComfyUI (--backend).
Without -o (or with -o -) the result goes to stdout. Put OUT.json in workflowsDir, and remove the UI file.`,
    'cli.convert.backend': 'Could not read /object_info from {url}: {reason}',
    'cli.convert.written': 'Wrote {file} ({nodes} nodes, API format).',
    'cli.convert.already_api': '{file} written ({nodes} nodes): the file was already in the API format.',
  },
  zh: {
    'cli.convert.usage': `用法：comfyrelay workflows convert <文件.json> (--object-info 文件 | --backend URL) [-o 输出.json]

将用 ComfyUI 普通“Save”保存的工作流（UI 格式）写成 API 格式：服务器无需每次启动时询问 ComfyUI，
即可将其作为模板加载。控件值的名称来自服务器的 GET /object_info：已保存的 JSON（--object-info），
或向正在运行的 ComfyUI 查询（--backend）。不带 -o（或 -o -）时输出到标准输出。
请将输出文件放入 workflowsDir，并移除原 UI 文件。`,
    'cli.convert.backend': '无法从 {url} 读取 /object_info：{reason}',
    'cli.convert.written': '已写入 {file}（{nodes} 个节点，API 格式）。',
    'cli.convert.already_api': '已写入 {file}（{nodes} 个节点）：该文件本来就是 API 格式。',
  },
});
