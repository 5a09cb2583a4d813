import { type Catalog, registerCatalog } from '#shared/i18n.ts';

/** What the operator is told about the ComfyUI servers when the relay starts. */
export const poolCatalog: Catalog = registerCatalog({
  en: {
    'pool.start.reachable': 'ComfyUI "{name}" at {url}: reachable, version {version}.',
    'pool.start.unreachable':
      'ComfyUI "{name}" at {url}: unreachable ({reason}). Start ComfyUI there (python main.py --listen) or fix its url under backends: in comfyrelay.config.yaml (or COMFYRELAY_COMFYUI_URL); jobs wait until it answers.',
    'pool.start.refused':
      'ComfyUI "{name}" at {url}: refused ({reason}). Check its auth or headers under backends: in comfyrelay.config.yaml.',
    'pool.start.none':
      'No ComfyUI server answers: jobs are accepted and wait up to {seconds} s for one, then fail with a message.',
  },
  zh: {
    'pool.start.reachable': 'ComfyUI“{name}”（{url}）：可连接，版本 {version}。',
    'pool.start.unreachable':
      'ComfyUI“{name}”（{url}）：无法连接（{reason}）。请在该处启动 ComfyUI（python main.py --listen），或修改 comfyrelay.config.yaml 中 backends: 下的 url（或 COMFYRELAY_COMFYUI_URL）；任务会等待它恢复。',
    'pool.start.refused':
      'ComfyUI“{name}”（{url}）：拒绝访问（{reason}）。请检查 comfyrelay.config.yaml 中 backends: 下的 auth 或 headers。',
    'pool.start.none':
      '没有任何 ComfyUI 服务器响应：任务会被接受并最多等待 {seconds} 秒，之后失败并给出说明。',
  },
});
