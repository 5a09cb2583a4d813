import {
  ComfyApiV2Client,
  ComfyClient,
  displayUrl,
  listedObjectInfo,
  type SystemStats,
} from '../../comfy/index.ts';
import type { BackendConfig } from '../../config/index.ts';
import type { ObjectInfo } from '../../workflows/index.ts';
import { API_KEY_VARS } from './backend-settings.ts';

export interface BackendReport {
  name: string;
  kind: BackendConfig['kind'];
  url: string;
  reachable: boolean;
  error?: string;
  version?: string;
  devices: { name: string; type?: string; vramTotal?: number; vramFree?: number }[];
  objectInfo?: ObjectInfo;
  /** `comfy-api-v2`: whether the service accepted the key (undefined when that could not be told). */
  keyValid?: boolean;
  /** `comfy-api-v2`: the jobs ComfyRelay keeps there at once (the plan's concurrency, as configured). */
  slots?: number;
  /** `comfy-api-v2`: the catalogue came from the operator's `capabilities`, not from the service. */
  declared?: boolean;
}

/**
 * Reads `/system_stats` and `/object_info` of a ComfyUI backend, or probes a Comfy API v2 one (reachable,
 * key valid, its node catalogue where the service lists one); an error makes it unreachable, not a crash.
 * Nothing is run or paid for.
 */
export async function probeBackend(
  b: BackendConfig,
  timeoutMs = 5000,
  env: Record<string, string | undefined> = process.env,
): Promise<BackendReport> {
  if (b.kind === 'comfy-api-v2') return probeV2Backend(b, timeoutMs, env);
  const headers = Object.keys(b.headers).length > 0 ? b.headers : undefined;
  const auth = b.auth || headers ? { ...b.auth, ...(headers ? { headers } : {}) } : undefined;
  const client = new ComfyClient({ baseUrl: b.url, auth, timeoutMs });
  const report: BackendReport = {
    name: b.name,
    kind: b.kind,
    url: displayUrl(b.url),
    reachable: false,
    devices: [],
  };
  try {
    const [stats, info] = await Promise.all([client.systemStats(), client.objectInfo()]);
    report.reachable = true;
    report.version = stats.system?.comfyui_version;
    report.devices = devicesOf(stats);
    report.objectInfo = info as ObjectInfo;
  } catch (e) {
    report.error = e instanceof Error ? e.message : String(e);
  } finally {
    await client.close().catch(() => {});
  }
  return report;
}

async function probeV2Backend(
  b: BackendConfig,
  timeoutMs: number,
  env: Record<string, string | undefined>,
): Promise<BackendReport> {
  const apiKey = b.apiKey ?? API_KEY_VARS.map((n) => env[n]?.trim()).find((v) => v);
  const client = new ComfyApiV2Client({
    baseUrl: b.url,
    apiKey,
    slots: b.slots,
    requestTimeoutMs: timeoutMs,
  });
  try {
    const probe = await client.probe(timeoutMs);
    const report: BackendReport = {
      name: b.name,
      kind: b.kind,
      url: displayUrl(b.url),
      reachable: probe.reachable && probe.keyValid !== false,
      devices: [],
      slots: probe.slots.size,
      ...(probe.keyValid !== undefined ? { keyValid: probe.keyValid } : {}),
      ...(probe.error
        ? { error: apiKey ? probe.error : `${probe.error} (no API key: set COMFY_API_KEY)` }
        : {}),
    };
    if (!report.reachable) return report;
    const listed = await listedObjectInfo({ baseUrl: b.url, apiKey, timeoutMs });
    if (listed) report.objectInfo = listed as ObjectInfo;
    else if (b.capabilities) report.declared = true;
    return report;
  } finally {
    await client.close();
  }
}

function devicesOf(stats: SystemStats): BackendReport['devices'] {
  return (stats.devices ?? []).map((d) => ({
    name: d.name ?? '?',
    ...(d.type ? { type: d.type } : {}),
    ...(d.vram_total !== undefined ? { vramTotal: d.vram_total } : {}),
    ...(d.vram_free !== undefined ? { vramFree: d.vram_free } : {}),
  }));
}
