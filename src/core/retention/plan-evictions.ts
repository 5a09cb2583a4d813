/** Something kept on disk for someone: an asset (upload or output), or a job's input image. */
export interface StoredEntry {
  /** What the caller deletes: an asset id, or the input reference's key. */
  id: string;
  kind: 'output' | 'upload' | 'input';
  /** The blob; entries sharing one count its bytes once per scope. */
  hash: string;
  size: number;
  owner?: string;
  community?: string;
  createdAt: number;
  /** The job it belongs to: never evicted while that job is still being run or delivered. */
  jobId?: string;
}

/** Bytes that may be kept, overall and per owner (a person, an API key) and per community; absent: no limit. */
export interface DiskBudget {
  totalBytes?: number;
  perOwnerBytes?: number;
  perCommunityBytes?: number;
}

/** Distinct bytes in one scope, and how many entries use each blob. */
class Scope {
  bytes = 0;
  readonly limit: number;
  readonly #refs = new Map<string, number>();
  constructor(limit: number) {
    this.limit = limit;
  }
  add(e: StoredEntry): void {
    const n = this.#refs.get(e.hash) ?? 0;
    if (n === 0) this.bytes += e.size;
    this.#refs.set(e.hash, n + 1);
  }
  remove(e: StoredEntry): void {
    const n = this.#refs.get(e.hash) ?? 0;
    if (n <= 1) {
      this.#refs.delete(e.hash);
      if (n === 1) this.bytes -= e.size;
    } else this.#refs.set(e.hash, n - 1);
  }
  get over(): boolean {
    return this.bytes > this.limit;
  }
}

/**
 * Which entries to delete so that every scope fits its budget: outputs and input images first, oldest
 * first, then uploads (which their owner chose to keep), oldest first; an entry goes only while one of
 * its scopes is over budget, and never one whose job `isActive`. Bytes shared by several entries of a
 * scope are freed when the last of them goes.
 */
export function planEvictions(
  entries: readonly StoredEntry[],
  budget: DiskBudget,
  isActive: (jobId: string) => boolean,
): StoredEntry[] {
  const scopes = new Map<string, Scope>();
  const scopesOf = (e: StoredEntry): Scope[] => {
    const wanted: [string, number | undefined][] = [
      ['*', budget.totalBytes],
      [`o:${e.owner}`, e.owner === undefined ? undefined : budget.perOwnerBytes],
      [`c:${e.community}`, e.community === undefined ? undefined : budget.perCommunityBytes],
    ];
    const out: Scope[] = [];
    for (const [key, limit] of wanted) {
      if (limit === undefined) continue;
      const scope = scopes.get(key) ?? new Scope(limit);
      scopes.set(key, scope);
      out.push(scope);
    }
    return out;
  };
  for (const e of entries) for (const s of scopesOf(e)) s.add(e);
  const rank = (e: StoredEntry) => (e.kind === 'upload' ? 1 : 0);
  const order = [...entries].sort((a, b) => rank(a) - rank(b) || a.createdAt - b.createdAt);
  const evicted: StoredEntry[] = [];
  for (const e of order) {
    if (e.jobId !== undefined && isActive(e.jobId)) continue;
    const mine = scopesOf(e);
    if (!mine.some((s) => s.over)) continue;
    for (const s of mine) s.remove(e);
    evicted.push(e);
  }
  return evicted;
}
