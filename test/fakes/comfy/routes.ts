// server.py's routes. Each handler answers exactly as aiohttp does, including the empty-body 200s.
import { randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { posix } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { baseCatalog, MODEL_FOLDERS, modelFolderFiles } from './catalog.ts';
import { annotatedFilepath, FileStore, inside, isDirType, ROOTS } from './files.ts';
import { HttpError, isRecord, parseJson, sendEmpty, sendJson, sendJsonText, sendText } from './http.ts';
import { guessType, viewVariant } from './images.ts';
import { pyFloat, pyInt, pyStr } from './python.ts';
import type { ServerState } from './state.ts';
import type { JsonObject, JsonValue, PromptGraph, QueueItem } from './types.ts';
import { validatePrompt } from './validate.ts';

export type RouteRequest = {
  method: string;
  path: string;
  query: URLSearchParams;
  body: Buffer;
  contentType: string;
};
type Handler = (
  s: ServerState,
  req: RouteRequest,
  res: ServerResponse,
  param: string,
) => Promise<void> | void;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const SENSITIVE = ['auth_token_comfy_org', 'api_key_comfy_org'];

function queueView(s: ServerState, item: QueueItem): QueueItem {
  if (s.version !== 'newest') return item;
  const extra = Object.fromEntries(Object.entries(item[3]).filter(([k]) => !SENSITIVE.includes(k)));
  return [item[0], item[1], item[2], extra, item[4]];
}

function postPrompt(s: ServerState, req: RouteRequest, res: ServerResponse): void {
  const data = parseJson(req.body);
  if (data === null || typeof data !== 'object') throw new HttpError(500);
  const json = (Array.isArray(data) ? {} : data) as Record<string, JsonValue>;
  let number: number;
  if ('number' in json) number = pyFloat(json.number as JsonValue);
  else {
    number = s.number;
    if ('front' in json && json.front) number = -number;
    s.number += 1;
  }
  if (!('prompt' in json)) {
    const error = {
      type: 'no_prompt',
      message: 'No prompt provided',
      details: 'No prompt provided',
      extra_info: {},
    };
    sendJson(res, { error, node_errors: {} }, 400);
    return;
  }
  let promptId: string;
  if (s.version === 'newest') {
    const given = json.prompt_id;
    if (given !== undefined && given !== null && (typeof given !== 'string' || !UUID.test(given))) {
      const error = {
        type: 'invalid_prompt_id',
        message: 'Invalid prompt_id format',
        details: `prompt_id must be a valid UUID, got: ${pyStr(given)}`,
        extra_info: {},
      };
      sendJson(res, { error, node_errors: {} }, 400);
      return;
    }
    promptId = typeof given === 'string' ? given : randomUUID();
  } else {
    // str(json_data.get("prompt_id", uuid4())): an explicit null becomes "None" on 0.3.64.
    promptId = 'prompt_id' in json ? pyStr(json.prompt_id as JsonValue) : randomUUID();
  }
  const targets = Array.isArray(json.partial_execution_targets)
    ? json.partial_execution_targets.map(String)
    : undefined;
  const result = validatePrompt(json.prompt as JsonValue, {
    catalog: s.catalog(),
    version: s.version,
    partialTargets: targets,
    inputExists: (name) => s.store.existsAnnotated(name),
  });
  const extra = (isRecord(json.extra_data) ? json.extra_data : {}) as JsonObject;
  if ('client_id' in json) extra.client_id = json.client_id as JsonValue;
  if (s.version === 'newest') extra.create_time = Date.now();
  if (!result.ok) {
    sendJson(res, { error: result.error, node_errors: result.nodeErrors }, 400);
    return;
  }
  // outputs_to_execute is list(set): Python's order is hash-random; descending ids matched the recordings.
  const outputs = [...result.outputs].sort((a, b) => b.localeCompare(a, undefined, { numeric: true }));
  s.queue.put([number, promptId, json.prompt as PromptGraph, extra, outputs]);
  sendJson(res, { prompt_id: promptId, number, node_errors: result.nodeErrors });
}

function postQueue(s: ServerState, req: RouteRequest, res: ServerResponse): void {
  const json = parseJson(req.body);
  if (!isRecord(json)) throw new HttpError(500);
  if ('clear' in json && json.clear) s.queue.wipe();
  if ('delete' in json) {
    if (!Array.isArray(json.delete)) throw new HttpError(500);
    for (const id of json.delete) s.queue.delete(String(id));
  }
  sendEmpty(res);
}

function postInterrupt(s: ServerState, req: RouteRequest, res: ServerResponse): void {
  let json: unknown = {};
  try {
    json = JSON.parse(req.body.toString('utf8'));
  } catch {
    json = {};
  }
  if (!isRecord(json)) throw new HttpError(500);
  const promptId = json.prompt_id;
  if (promptId) {
    s.interrupts.byPromptId.push(String(promptId));
    if (s.queue.running?.[1] === promptId) s.executor.interrupt();
  } else {
    s.interrupts.global++;
    s.executor.interrupt();
  }
  sendEmpty(res);
}

function postFree(s: ServerState, req: RouteRequest, res: ServerResponse): void {
  const json = parseJson(req.body);
  if (!isRecord(json)) throw new HttpError(500);
  if (json.free_memory) s.executor.freeMemory();
  sendEmpty(res);
}

function getHistory(s: ServerState, req: RouteRequest, res: ServerResponse): void {
  const max = req.query.get('max_items');
  const off = req.query.get('offset');
  let maxItems: number | null;
  let offset: number;
  try {
    maxItems = max === null ? null : pyInt(max);
    offset = off === null ? -1 : pyInt(off);
  } catch {
    throw new HttpError(500);
  }
  sendJson(res, new Map(s.queue.getHistory(maxItems, offset)));
}

function getHistoryItem(s: ServerState, _req: RouteRequest, res: ServerResponse, id: string): void {
  const entry = s.queue.history.get(id);
  sendJson(res, entry ? new Map([[id, entry]]) : {});
}

function postHistory(s: ServerState, req: RouteRequest, res: ServerResponse): void {
  const json = parseJson(req.body);
  if (!isRecord(json)) throw new HttpError(500);
  if ('clear' in json && json.clear) s.queue.history.clear();
  if ('delete' in json) {
    if (!Array.isArray(json.delete)) throw new HttpError(500);
    for (const id of json.delete) s.queue.history.delete(String(id));
  }
  sendEmpty(res);
}

async function getView(s: ServerState, req: RouteRequest, res: ServerResponse): Promise<void> {
  const raw = req.query.get('filename');
  if (raw === null) return sendEmpty(res, 404);
  const [name, annotatedType] = annotatedFilepath(raw);
  if (!name || name.startsWith('/') || name.includes('..')) return sendEmpty(res, 400);
  const type = annotatedType ?? req.query.get('type') ?? 'output';
  if (!isDirType(type)) return sendEmpty(res, 400);
  let dir: string = ROOTS[type];
  const subfolder = req.query.get('subfolder');
  if (subfolder !== null) {
    const full = subfolder.startsWith('/') ? subfolder : posix.join(dir, subfolder);
    if (!inside(dir, full)) return sendEmpty(res, 403);
    dir = full;
  }
  const filename = posix.basename(name);
  const bytes = s.store.get(posix.join(dir, filename));
  if (!bytes) return sendEmpty(res, 404);
  const variant = await viewVariant(bytes, req.query).catch(() => undefined);
  const body = variant?.body ?? bytes;
  res.writeHead(200, {
    'Content-Type': variant?.contentType ?? guessType(filename),
    'Content-Length': body.length,
    // aiohttp sends a non-ASCII name as raw UTF-8, which Node refuses to write: RFC 5987 form instead.
    'Content-Disposition': /^[\x20-\x7e]*$/.test(filename)
      ? `filename="${filename}"`
      : `filename*=UTF-8''${encodeURIComponent(filename)}`,
  });
  const bps = s.viewBytesPerSecond;
  if (!bps) return void res.end(body);
  const chunk = Math.max(1, Math.ceil(bps / 50));
  for (let i = 0; i < body.length && !res.destroyed; i += chunk) {
    res.write(body.subarray(i, i + chunk));
    await sleep(20);
  }
  res.end();
}

async function upload(s: ServerState, req: RouteRequest, res: ServerResponse, mask: boolean): Promise<void> {
  let form: FormData;
  try {
    form = await new Request('http://fake/upload', {
      method: 'POST',
      headers: { 'content-type': req.contentType },
      body: new Uint8Array(req.body),
    }).formData();
  } catch {
    form = new FormData();
  }
  const image = form.get('image');
  const overwrite = form.get('overwrite');
  const typeField = form.get('type');
  const type = typeof typeField === 'string' ? typeField : 'input';
  if (!isDirType(type)) throw new HttpError(500);
  if (image === null) return sendEmpty(res, 400);
  if (typeof image === 'string') throw new HttpError(500);
  let filename = image.name;
  if (!filename) return sendEmpty(res, 400);
  if (mask && form.get('original_ref') === null) throw new HttpError(500);
  const root = ROOTS[type];
  const subfolderField = form.get('subfolder');
  const subfolder = typeof subfolderField === 'string' ? subfolderField : '';
  const folder = posix.join(root, posix.normalize(subfolder || '.'));
  let filepath = posix.resolve(folder, filename);
  if (!inside(root, filepath)) return sendEmpty(res, 400);
  const bytes = Buffer.from(await image.arrayBuffer());
  let duplicate = false;
  if (overwrite !== 'true' && overwrite !== '1') {
    const dot = filename.lastIndexOf('.');
    const [stem, ext] = dot > 0 ? [filename.slice(0, dot), filename.slice(dot)] : [filename, ''];
    for (let i = 1; s.store.has(filepath); i++) {
      if (FileStore.sameHash(s.store.get(filepath) as Buffer, bytes)) {
        duplicate = true;
        break;
      }
      filename = `${stem} (${i})${ext}`;
      filepath = posix.join(folder, filename);
    }
  }
  if (!duplicate) s.store.put(filepath, bytes);
  const ref = posix.relative(root, filepath);
  if (!s.uploads.includes(ref)) s.uploads.push(ref);
  sendJson(res, { name: filename, subfolder, type });
}

function getObjectInfo(s: ServerState, _req: RouteRequest, res: ServerResponse, cls: string): void {
  if (!cls) sendJsonText(res, s.catalogBody());
  else {
    const def = s.catalog()[cls];
    sendJson(res, def ? { [cls]: def } : {});
  }
}

function getModels(s: ServerState, _req: RouteRequest, res: ServerResponse, folder: string): void {
  if (!folder) sendJson(res, MODEL_FOLDERS);
  else if (!MODEL_FOLDERS.includes(folder)) sendEmpty(res, 404);
  else sendJson(res, modelFolderFiles(baseCatalog(s.options.objectInfo), s.models, folder));
}

const ROUTES: [string, RegExp, Handler][] = [
  ['GET', /^\/prompt$/, (s, _q, r) => sendJson(r, { exec_info: { queue_remaining: s.queue.remaining() } })],
  ['POST', /^\/prompt$/, postPrompt],
  [
    'GET',
    /^\/queue$/,
    (s, _q, r) =>
      sendJson(r, {
        queue_running: s.queue.running ? [queueView(s, s.queue.running)] : [],
        queue_pending: s.queue.pending().map((i) => queueView(s, i)),
      }),
  ],
  ['POST', /^\/queue$/, postQueue],
  ['POST', /^\/interrupt$/, postInterrupt],
  ['POST', /^\/free$/, postFree],
  ['GET', /^\/history$/, getHistory],
  ['GET', /^\/history\/(.+)$/, getHistoryItem],
  ['POST', /^\/history$/, postHistory],
  ['GET', /^\/object_info$/, getObjectInfo],
  ['GET', /^\/object_info\/(.+)$/, getObjectInfo],
  ['GET', /^\/system_stats$/, (s, _q, r) => sendJson(r, s.systemStats())],
  ['GET', /^\/features$/, (s, _q, r) => sendJson(r, s.features())],
  ['GET', /^\/view$/, getView],
  ['POST', /^\/upload\/image$/, (s, q, r) => upload(s, q, r, false)],
  ['POST', /^\/upload\/mask$/, (s, q, r) => upload(s, q, r, true)],
  ['GET', /^\/models$/, getModels],
  ['GET', /^\/models\/(.+)$/, getModels],
  [
    'GET',
    /^\/embeddings$/,
    (s, _q, r) =>
      sendJson(
        r,
        (s.models?.embeddings ?? []).map((f) => f.replace(/\.[^.]+$/, '')),
      ),
  ],
  ['GET', /^\/extensions$/, (_s, _q, r) => sendJson(r, [])],
  ['GET', /^\/view_metadata\/(.+)$/, (_s, _q, r) => sendEmpty(r, 404)],
];

const INTERNAL: [string, RegExp, Handler][] = [
  ['GET', /^\/internal\/logs$/, (_s, _q, r) => sendJson(r, '')],
  [
    'GET',
    /^\/internal\/logs\/raw$/,
    (_s, _q, r) => sendJson(r, { entries: [], size: { cols: 80, rows: 24 } }),
  ],
  ['GET', /^\/internal\/folder_paths$/, (_s, _q, r) => sendJson(r, {})],
  [
    'GET',
    /^\/internal\/files\/(input|output|temp)$/,
    (s, _q, r, type) => sendJson(r, s.store.list(ROOTS[type as 'input'])),
  ],
];

/** Routes are registered at their path and again under /api; /internal is not aliased. */
export async function route(s: ServerState, req: RouteRequest, res: ServerResponse): Promise<void> {
  const api = req.path.startsWith('/api/');
  const path = api ? req.path.slice(4) : req.path;
  const table = api ? ROUTES : [...ROUTES, ...INTERNAL];
  let pathMatched = false;
  for (const [method, pattern, handler] of table) {
    const m = pattern.exec(path);
    if (!m) continue;
    pathMatched = true;
    if (method !== req.method) continue;
    await handler(s, req, res, decodeURIComponent(m[1] ?? ''));
    return;
  }
  sendText(res, pathMatched ? 405 : 404);
}
