import { type ChildProcess, spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { resolve } from 'node:path';
import { freePort } from './durable-redis.ts';

const SCRIPT = resolve(import.meta.dirname, 'relay-process.ts');

/** One ComfyRelay process slot of the suite: its ports stay the same across restarts. */
export interface RelaySlot {
  index: number;
  httpPort: number;
  webhookPort: number;
  child: ChildProcess | undefined;
  /** True once it printed READY and until it dies. */
  ready: boolean;
  /** Killed for good: never started again. */
  gone: boolean;
  starts: number;
  log: string;
}

/**
 * The ComfyRelay processes of the suite (child processes of the driver), each with its own Discord
 * shard, HTTP port and webhook port, sharing one Redis and one data dir.
 */
export class RelayCluster {
  readonly slots: RelaySlot[];
  readonly #config: (slot: RelaySlot) => Record<string, unknown>;
  readonly #leaseMs: number;
  readonly #interruptedAfterMs: number | undefined;
  readonly #killing = new WeakSet<ChildProcess>();
  #closing = false;

  private constructor(
    slots: RelaySlot[],
    config: (slot: RelaySlot) => Record<string, unknown>,
    leaseMs: number,
    interruptedAfterMs: number | undefined,
  ) {
    this.slots = slots;
    this.#config = config;
    this.#leaseMs = leaseMs;
    this.#interruptedAfterMs = interruptedAfterMs;
  }

  static async create(
    count: number,
    config: (slot: RelaySlot) => Record<string, unknown>,
    leaseMs: number,
    interruptedAfterMs?: number,
  ): Promise<RelayCluster> {
    const slots: RelaySlot[] = [];
    for (let index = 0; index < count; index++) {
      slots.push({
        index,
        httpPort: await freePort(),
        webhookPort: await freePort(),
        child: undefined,
        ready: false,
        gone: false,
        starts: 0,
        log: '',
      });
    }
    return new RelayCluster(slots, config, leaseMs, interruptedAfterMs);
  }

  get live(): RelaySlot[] {
    return this.slots.filter((s) => s.ready);
  }

  /** Starts the slot's process and waits until it takes jobs (or dies trying). */
  async start(slot: RelaySlot): Promise<void> {
    if (slot.gone || slot.child) return;
    slot.starts++;
    const child = spawn(process.execPath, [SCRIPT], {
      env: {
        ...process.env,
        RELAY_CONFIG: JSON.stringify(this.#config(slot)),
        RELAY_INSTANCE: `relay${slot.index}-run${slot.starts}`,
        RELAY_SHARD: String(slot.index),
        RELAY_SHARDS: String(this.slots.length),
        RELAY_LEASE_MS: String(this.#leaseMs),
        ...(this.#interruptedAfterMs ? { RELAY_INTERRUPTED_AFTER_MS: String(this.#interruptedAfterMs) } : {}),
        RELAY_LOG: process.env.FAULTS_LOG_DIR ? (process.env.FAULTS_LOG_LEVEL ?? 'warn') : 'silent',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    slot.child = child;
    // FAULTS_LOG_DIR: every relay's log (level FAULTS_LOG_LEVEL, default warn) kept in a file per slot.
    const file = process.env.FAULTS_LOG_DIR
      ? createWriteStream(`${process.env.FAULTS_LOG_DIR}/relay${slot.index}.log`, { flags: 'a' })
      : undefined;
    const keep = (d: Buffer) => {
      slot.log = (slot.log + d.toString()).slice(-20_000);
      file?.write(d);
    };
    child.stdout!.on('data', keep);
    child.stderr!.on('data', keep);
    child.once('exit', () => {
      slot.ready = false;
      if (slot.child === child) slot.child = undefined;
      // A process that ended on its own (it could not start) is started again, as a supervisor would.
      if (!this.#killing.has(child) && !slot.gone && !this.#closing)
        setTimeout(() => void this.start(slot), 500).unref();
    });
    await new Promise<void>((done) => {
      const check = () => {
        if (slot.log.includes('READY') && slot.child === child) {
          slot.ready = true;
          done();
        } else if (slot.child !== child) done();
        else setTimeout(check, 20);
      };
      check();
    });
    slot.log = slot.log.replaceAll('READY', 'ready');
  }

  /** SIGKILL: no shutdown, no goodbye. */
  async kill(slot: RelaySlot, forGood = false): Promise<void> {
    slot.gone ||= forGood;
    const child = slot.child;
    if (!child) return;
    slot.ready = false;
    this.#killing.add(child);
    const exited = once(child, 'exit');
    child.kill('SIGKILL');
    await exited;
  }

  /** SIGTERM, as an operator stopping it: submits and deliveries under way finish first. */
  async stop(slot: RelaySlot): Promise<void> {
    const child = slot.child;
    if (!child) return;
    slot.ready = false;
    this.#killing.add(child);
    const exited = once(child, 'exit');
    child.kill('SIGTERM');
    await exited;
  }

  async close(): Promise<void> {
    this.#closing = true;
    await Promise.all(this.slots.map((s) => this.stop(s)));
  }
}
