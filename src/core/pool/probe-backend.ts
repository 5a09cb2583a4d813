import { ComfyClient, displayUrl, type SystemStats } from '../../comfy/index.ts';
import type { BackendConfig } from '../../config/index.ts';
import type { ObjectInfo } from '../../workflows/index.ts';

export interface BackendReport {
  name: string;
  url: string;
  reachable: boolean;
  error?: string;
  version?: string;
  devices: { name: string; type?: string; vramTotal?: number; vramFree?: number }[];
  objectInfo?: ObjectInfo;
}

/** Reads `/system_stats` and `/object_info` of one backend; an error makes it unreachable, not a crash. */
export async function probeBackend(b: BackendConfig, timeoutMs = 5000): Promise<BackendReport> {
  const headers = Object.keys(b.headers).length > 0 ? b.headers : undefined;
  const auth = b.auth || headers ? { ...b.auth, ...(headers ? { headers } : {}) } : undefined;
  const client = new ComfyClient({ baseUrl: b.url, auth, timeoutMs });
  const report: BackendReport = { name: b.name, url: displayUrl(b.url), reachable: false, devices: [] };
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

function devicesOf(stats: SystemStats): BackendReport['devices'] {
  return (stats.devices ?? []).map((d) => ({
    name: d.name ?? '?',
    ...(d.type ? { type: d.type } : {}),
    ...(d.vram_total !== undefined ? { vramTotal: d.vram_total } : {}),
    ...(d.vram_free !== undefined ? { vramFree: d.vram_free } : {}),
  }));
}
