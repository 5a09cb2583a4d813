/**
 * The node catalogue a Comfy API v2 service lists, where it lists one: Comfy Cloud answers
 * `GET /api/object_info` (its Cloud API, beside v2) with the same shape as ComfyUI. Undefined when the
 * service has none (a Comfy API deployment, another ComfyRelay): the pool then relies on the
 * operator's declared `capabilities`. The key goes to the service's own origin only.
 */
export async function listedObjectInfo(o: {
  baseUrl: string;
  apiKey?: string;
  timeoutMs?: number;
  fetch?: typeof fetch;
}): Promise<Record<string, unknown> | undefined> {
  const doFetch = o.fetch ?? fetch;
  try {
    const res = await doFetch(`${o.baseUrl.replace(/\/+$/, '')}/api/object_info`, {
      headers: { accept: 'application/json', ...(o.apiKey ? { 'x-api-key': o.apiKey } : {}) },
      redirect: 'error',
      signal: AbortSignal.timeout(o.timeoutMs ?? 10_000),
    });
    if (!res.ok || !(res.headers.get('content-type') ?? '').includes('json')) {
      await res.body?.cancel();
      return undefined;
    }
    const body = (await res.json()) as unknown;
    return body && typeof body === 'object' && !Array.isArray(body) && Object.keys(body).length > 0
      ? (body as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}
