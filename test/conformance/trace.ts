// Recorded traces (test/fixtures/comfyui/traces) and the per-socket message views both sides are reduced to.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { TRACES_DIR } from '../helpers/fixtures.ts';

export type TraceEvent = {
  t_ms: number;
  kind:
    | 'http_request'
    | 'http_response'
    | 'ws_connect'
    | 'ws_open'
    | 'ws_send'
    | 'ws_recv'
    | 'ws_closed'
    | 'note';
  ws?: string;
  url?: string;
  text?: boolean;
  binary?: boolean;
  data?: unknown;
  raw?: string;
  event_type?: number;
  metadata?: Record<string, unknown>;
  image_size?: [number, number];
  first8_hex?: string;
  method?: string;
  path?: string;
  json?: unknown;
  body?: unknown;
  headers?: Record<string, string>;
  status?: number;
  multipart?: Record<string, unknown>;
};

export type Trace = { scenario: string; description: string; notes: string[]; events: TraceEvent[] };

export function traceFiles(): string[] {
  return readdirSync(TRACES_DIR)
    .filter((f) => f.endsWith('.json'))
    .sort();
}

export function loadJson(file: string): unknown {
  return JSON.parse(readFileSync(join(TRACES_DIR, file), 'utf8'));
}

export function isTrace(v: unknown): v is Trace {
  return typeof v === 'object' && v !== null && Array.isArray((v as Trace).events);
}

/** One websocket message reduced to what the comparison looks at. */
export type WsItem = { token: string; promptId: string | null; data: unknown };

export function textItem(msg: { type: string; data: unknown }): WsItem {
  const d = msg.data as { prompt_id?: unknown } | null;
  const promptId = d && typeof d === 'object' && typeof d.prompt_id === 'string' ? d.prompt_id : null;
  return { token: msg.type, promptId, data: msg.data };
}

export function binaryItem(eventType: number, metadata: Record<string, unknown> | undefined): WsItem {
  const promptId = typeof metadata?.prompt_id === 'string' ? metadata.prompt_id : null;
  return { token: `BIN${eventType}`, promptId, data: metadata ?? null };
}

export function recordedItem(e: TraceEvent): WsItem {
  if (e.binary) return binaryItem(e.event_type ?? 0, e.metadata);
  return textItem(e.data as { type: string; data: unknown });
}

/**
 * Splits a socket's messages into per-prompt sequences plus the rest (status, feature_flags, bare executing).
 * Type-1 previews carry no prompt id: they belong to the prompt of the message before them.
 */
export function groupByJob(items: WsItem[]): { jobs: Map<string, WsItem[]>; other: WsItem[] } {
  const jobs = new Map<string, WsItem[]>();
  const other: WsItem[] = [];
  let last: string | null = null;
  for (const item of items) {
    const id: string | null = item.promptId ?? (item.token === 'BIN1' ? last : null);
    if (id === null) {
      other.push(item);
      continue;
    }
    last = id;
    const list = jobs.get(id) ?? [];
    list.push(item);
    jobs.set(id, list);
  }
  return { jobs, other };
}

/** Removes sampler step units (progress_state → preview → progress); used where their count is timing. */
export function withoutSteps(items: WsItem[]): WsItem[] {
  return items.filter((item, i) => {
    if (item.token === 'progress' || item.token.startsWith('BIN')) return false;
    const next = items[i + 1]?.token;
    return !(item.token === 'progress_state' && (next === 'progress' || next === 'BIN4'));
  });
}
