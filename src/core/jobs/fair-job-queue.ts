import { FairQueue } from '../scheduler/fair-queue.ts';
import type { JobQueue } from './ports.ts';

/** The engine's queue of job ids over the round-robin FairQueue. */
export class FairJobQueue implements JobQueue {
  readonly queue = new FairQueue<string>();

  enqueue(id: string, ownerKey: string, priority: number): void {
    if (!this.queue.has(id)) this.queue.enqueue(id, ownerKey, id, { priority });
  }

  remove(id: string): boolean {
    return this.queue.remove(id);
  }

  next(canTake: (id: string) => boolean): string | undefined {
    return this.queue.next((id) => canTake(id))?.id;
  }

  position(id: string): number | undefined {
    return this.queue.position(id);
  }

  get size(): number {
    return this.queue.size;
  }
}
