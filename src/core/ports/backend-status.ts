import type { Backend } from '../pool/backend.ts';

export { type BackendReport, probeBackend } from '../pool/probe-backend.ts';
export { API_KEY_VARS } from '../pool/backend-settings.ts';
export { type DeclaredCapabilities, declaredProblems } from '../pool/declared-capabilities.ts';

/** One configured backend as an operator sees it: no client, no catalogue. */
export interface BackendHealth {
  name: string;
  healthy: boolean;
  /** Why it is not healthy, as last seen. */
  lastError?: string;
  /** Jobs dispatched to it now (running or queued on ComfyUI). */
  jobs: number;
}

/** The backends' health, for a front end that says "none can be reached" before queuing (the CLI). */
export interface BackendStatus {
  list(): BackendHealth[];
  /** How many answer now. */
  reachable(): number;
}

type Watched = Pick<Backend, 'name' | 'healthy' | 'lastError' | 'jobs'>;

/** Reads the pool's backends at each call (their health changes with every refresh). */
export function backendStatus(pool: { readonly backends: readonly Watched[] }): BackendStatus {
  const list = () =>
    pool.backends.map((b) => ({
      name: b.name,
      healthy: b.healthy,
      ...(b.lastError ? { lastError: b.lastError } : {}),
      jobs: b.jobs.size,
    }));
  return { list, reachable: () => pool.backends.filter((b) => b.healthy).length };
}
