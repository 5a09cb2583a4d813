import type { InputRef } from './types.ts';

/** Where a discovered parameter lands, and the links walked to get there (for `inspect`). */
export interface Binding extends InputRef {
  via: string;
}

/** Where a walk starts: an input, and the links already walked to reach it. */
export interface Root extends InputRef {
  trail: readonly string[];
}

/** Shared state of one discovery walk: what was found and what went wrong. */
export interface WalkLog {
  warnings: string[];
}

export const ARROW = ' → ';

export function pushUnique(into: Binding[], items: readonly Binding[]): void {
  for (const item of items) {
    if (!into.some((b) => b.node === item.node && b.input === item.input)) into.push(item);
  }
}
