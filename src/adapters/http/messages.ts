import { type Catalog, registerCatalog } from '#shared/i18n.ts';

/** The HTTP API, its start-up banner and `comfyrelay keys`. */
export const httpCatalog: Catalog = registerCatalog({
  en: {
    'http.auth.missing': 'An API key is required: send it as "Authorization: Bearer <key>".',
    'http.auth.invalid': 'This API key is not valid (unknown, mistyped or revoked).',
    'http.notFound': 'Not found.',
    'http.badRequest': 'The request is not valid: {details}',
    'http.idempotencyReuse': 'This Idempotency-Key was already used for job {jobId}.',
    'http.workflow.invalid': 'The workflow is not a valid API-format graph: {details}',
    'http.workflow.uiFormat': 'This is the UI format; export the workflow with "Save (API Format)".',
    'http.workflow.oneAsset': 'A workflow may reference one input asset per job.',
    'http.asset.missing': 'Asset {id} does not exist or is not yours.',
    'http.asset.tooLarge': 'The file is larger than {mb} MB.',
    'http.url.invalid': 'The URL is not valid.',
    'http.url.scheme': 'Only http:// and https:// URLs are accepted.',
    'http.url.private': 'That URL points at a private, loopback or link-local address, which is not allowed.',
    'http.url.unresolvable': 'That URL’s host name does not resolve.',
    'http.url.tooLarge': 'The file at that URL is too large.',
    'http.url.timeout': 'Fetching that URL took too long.',
    'http.url.failed': 'That URL could not be fetched.',
    'http.body.tooLarge': 'The request body is larger than {size}.',
    'http.body.tooLargeImagine':
      'The request body is larger than {kb} KB of JSON plus one input image of {mb} MB as base64.',
    'http.json.contentType': 'Send the body as JSON, with "Content-Type: application/json".',
    'http.json.invalid': 'The body is not valid JSON.',
    'http.json.tooDeep': 'The JSON body is nested more than {max} levels deep.',
    'http.json.reservedKey': 'The key "__proto__" is not accepted in a request body.',
    'http.origin.crossSite':
      'Requests from other web sites are refused while this server runs without API keys. Create a key (comfyrelay keys create) to use the API from elsewhere.',
    'http.host.notAllowed':
      'This server does not answer to the host name "{host}". Without API keys it answers only on 127.0.0.1, localhost and [::1], or on the host of http.publicUrl (COMFYRELAY_PUBLIC_URL): set it to the address you use.',
    'http.idempotency.invalid': 'Idempotency-Key must be 1 to 255 visible ASCII characters.',
    'http.idempotency.mismatch':
      'This Idempotency-Key was already used for job {jobId} with a different request body.',
    'http.asset.notAnImage': 'Only images ComfyUI can read are accepted: PNG, JPEG, WebP or GIF.',
    'http.asset.hashInvalid': 'expected_hash must be written blake3:<64 hex digits>.',
    'http.asset.hashMismatch': 'The file’s hash is {actual}, not the expected {expected}.',
    'http.asset.filePath': 'file_path must be 1 to {max} characters without control characters.',
    'http.asset.storageFull':
      'This key already keeps {usedMb} MB in {count} uploads (limit: {limitMb} MB, {limitCount} uploads). Delete uploads you no longer need, or wait until they expire.',
    'http.rate.uploads': 'Too many uploads: at most {limit} a minute. Try again in {seconds} s.',
    'http.rate.uploadsBusy': 'The server is receiving other uploads right now. Try again in a few seconds.',
    'http.rate.streams': 'At most {limit} event streams may be open at once per key: close one first.',
    'http.workflow.cycle':
      'The workflow has a cycle through node {node}: a node cannot depend on its own output.',
    'http.url.notImage': 'That URL did not give an image (it answered {type}).',
    'http.url.status': 'That URL answered HTTP {status} instead of the image.',
    'http.image.base64':
      'image_base64 is not valid base64 (letters, digits, + and / or - and _, then at most two =).',
    'http.image.dataUrl':
      'A data: URL must be written data:image/png;base64,<data> (PNG, JPEG, WebP or GIF).',
    'http.image.dataType':
      'The data: URL says "{type}": only PNG, JPEG, WebP or GIF images are accepted (image/png, image/jpeg, image/webp, image/gif).',
    'http.image.oneSource': 'Give one input image: image_base64, image_url or image_asset, not several.',
    'http.wait.responseForm': 'response must be binary, url or base64.',
    'http.wait.base64TooLarge':
      'The outputs come to {mb} MB as base64, more than this server answers in JSON ({limitMb} MB). The job succeeded: ask with response=url and download each output from its url (details.job has them).',
    'http.cursor.invalid': 'The cursor is not valid (the list may have changed): start again without one.',
    'http.metrics.localOnly':
      'Metrics are served only to this machine. To scrape them from elsewhere set http.metricsKey (COMFYRELAY_METRICS_KEY) and send it as "Authorization: Bearer <key>".',
    'http.webhook.needsKey': 'Webhooks need an API key (their signing secret belongs to the key).',
    'http.start.listening': 'ComfyRelay HTTP API and web page: {url}',
    'http.start.openLoopback':
      'No API keys exist yet, so the server listens on 127.0.0.1 only and needs no key. Create one with: comfyrelay keys create --name <name> --tier <tier>',
    'http.start.keysRequired': 'API keys are required for every /api request.',
    'http.start.chatHint':
      'To add Discord or Telegram, set discord.token / telegram.token in comfyrelay.config.yaml (or COMFYRELAY_DISCORD_TOKEN / COMFYRELAY_TELEGRAM_TOKEN) and restart.',
    'http.start.stopping': 'Stopping: finishing deliveries under way…',
    'keys.created': 'Created key {id} ({name}, tier {tier}). It is shown only this once:',
    'keys.webhookSecret': 'Webhook signing secret (Standard Webhooks):',
    'keys.none': 'No API keys.',
    'keys.revoked': 'Revoked key {id}.',
    'keys.notFound': 'There is no key {id}.',
    'keys.usage':
      'Usage: comfyrelay keys create --name <name> [--tier <tier>] | keys list | keys revoke <id>',
  },
  zh: {
    'http.auth.missing': '需要 API 密钥：请以 “Authorization: Bearer <密钥>” 发送。',
    'http.auth.invalid': '此 API 密钥无效（不存在、输入有误或已吊销）。',
    'http.notFound': '未找到。',
    'http.badRequest': '请求无效：{details}',
    'http.idempotencyReuse': '此 Idempotency-Key 已用于任务 {jobId}。',
    'http.workflow.invalid': '工作流不是有效的 API 格式图：{details}',
    'http.workflow.uiFormat': '这是 UI 格式；请用 “Save (API Format)” 导出工作流。',
    'http.workflow.oneAsset': '每个任务的工作流只能引用一个输入资源。',
    'http.asset.missing': '资源 {id} 不存在或不属于你。',
    'http.asset.tooLarge': '文件超过 {mb} MB。',
    'http.url.invalid': 'URL 无效。',
    'http.url.scheme': '只接受 http:// 和 https:// 开头的 URL。',
    'http.url.private': '该 URL 指向私有、回环或链路本地地址，不允许访问。',
    'http.url.unresolvable': '该 URL 的主机名无法解析。',
    'http.url.tooLarge': '该 URL 的文件太大。',
    'http.url.timeout': '获取该 URL 超时。',
    'http.url.failed': '无法获取该 URL。',
    'http.body.tooLarge': '请求体超过 {size}。',
    'http.body.tooLargeImagine': '请求体超过 {kb} KB 的 JSON 加一张 {mb} MB 的 base64 输入图片。',
    'http.json.contentType': '请以 JSON 发送请求体，并带上 “Content-Type: application/json”。',
    'http.json.invalid': '请求体不是有效的 JSON。',
    'http.json.tooDeep': 'JSON 请求体的嵌套超过 {max} 层。',
    'http.json.reservedKey': '请求体中不接受键 “__proto__”。',
    'http.origin.crossSite':
      '服务器在无 API 密钥模式下运行，拒绝来自其他网站的请求。如需从其他地方使用 API，请创建密钥（comfyrelay keys create）。',
    'http.host.notAllowed':
      '此服务器不响应主机名 “{host}”。无密钥模式下只响应 127.0.0.1、localhost 和 [::1]，或 http.publicUrl（COMFYRELAY_PUBLIC_URL）中的主机：请把它设为你使用的地址。',
    'http.idempotency.invalid': 'Idempotency-Key 必须是 1 到 255 个可见 ASCII 字符。',
    'http.idempotency.mismatch': '此 Idempotency-Key 已用于任务 {jobId}，且请求体不同。',
    'http.asset.notAnImage': '只接受 ComfyUI 能读取的图片：PNG、JPEG、WebP 或 GIF。',
    'http.asset.hashInvalid': 'expected_hash 的格式必须是 blake3:<64 位十六进制>。',
    'http.asset.hashMismatch': '文件的哈希是 {actual}，不是预期的 {expected}。',
    'http.asset.filePath': 'file_path 必须是 1 到 {max} 个字符，且不含控制字符。',
    'http.asset.storageFull':
      '此密钥已保存 {count} 个上传文件，共 {usedMb} MB（上限：{limitMb} MB、{limitCount} 个）。请删除不再需要的上传，或等待它们过期。',
    'http.rate.uploads': '上传过于频繁：每分钟最多 {limit} 次。请在 {seconds} 秒后重试。',
    'http.rate.uploadsBusy': '服务器正在接收其他上传，请几秒后重试。',
    'http.rate.streams': '每个密钥最多同时打开 {limit} 个事件流：请先关闭一个。',
    'http.workflow.cycle': '工作流在节点 {node} 处形成循环：节点不能依赖自己的输出。',
    'http.url.notImage': '该 URL 返回的不是图片（而是 {type}）。',
    'http.url.status': '该 URL 返回了 HTTP {status}，而不是图片。',
    'http.image.base64': 'image_base64 不是有效的 base64（字母、数字、+ 和 / 或 - 和 _，末尾最多两个 =）。',
    'http.image.dataUrl': 'data: URL 的格式必须是 data:image/png;base64,<数据>（PNG、JPEG、WebP 或 GIF）。',
    'http.image.dataType':
      'data: URL 声明的类型是“{type}”：只接受 PNG、JPEG、WebP 或 GIF 图片（image/png、image/jpeg、image/webp、image/gif）。',
    'http.image.oneSource': '只能提供一张输入图片：image_base64、image_url 或 image_asset 三选一。',
    'http.wait.responseForm': 'response 必须是 binary、url 或 base64。',
    'http.wait.base64TooLarge':
      '输出以 base64 编码共 {mb} MB，超过本服务器 JSON 应答的上限（{limitMb} MB）。任务已成功：请改用 response=url，并从各输出的 url 下载（details.job 中有）。',
    'http.cursor.invalid': '游标无效（列表可能已变化）：请不带游标重新开始。',
    'http.metrics.localOnly':
      '指标只提供给本机。如需从其他机器抓取，请设置 http.metricsKey（COMFYRELAY_METRICS_KEY），并以 “Authorization: Bearer <密钥>” 发送。',
    'http.webhook.needsKey': 'Webhook 需要 API 密钥（签名密钥属于该 API 密钥）。',
    'http.start.listening': 'ComfyRelay HTTP API 与网页：{url}',
    'http.start.openLoopback':
      '尚无 API 密钥，因此服务器只监听 127.0.0.1，且无需密钥。创建密钥：comfyrelay keys create --name <名称> --tier <等级>',
    'http.start.keysRequired': '所有 /api 请求都需要 API 密钥。',
    'http.start.chatHint':
      '如需接入 Discord 或 Telegram，请在 comfyrelay.config.yaml 中设置 discord.token / telegram.token（或 COMFYRELAY_DISCORD_TOKEN / COMFYRELAY_TELEGRAM_TOKEN）后重启。',
    'http.start.stopping': '正在停止：等待进行中的交付完成…',
    'keys.created': '已创建密钥 {id}（{name}，等级 {tier}）。它只显示这一次：',
    'keys.webhookSecret': 'Webhook 签名密钥（Standard Webhooks）：',
    'keys.none': '没有 API 密钥。',
    'keys.revoked': '已吊销密钥 {id}。',
    'keys.notFound': '没有密钥 {id}。',
    'keys.usage': '用法：comfyrelay keys create --name <名称> [--tier <等级>] | keys list | keys revoke <id>',
  },
});
