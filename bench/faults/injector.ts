import type { FakeComfy } from '../../test/fakes/comfy/index.ts';
import type { RelayCluster } from './cluster.ts';
import type { DurableRedis } from './durable-redis.ts';
import type { Platforms } from './platforms.ts';
import type { Rng } from './rng.ts';

/** The faults the suite draws from, with how often each is drawn. */
export const FAULT_WEIGHTS = {
  comfyRestart: 8,
  dropSockets: 10,
  stall: 8,
  comfy5xx: 12,
  dropPromptAnswer: 6,
  slowView: 6,
  relayKill: 6,
  relayKillMidDelivery: 4,
  redisRestart: 3,
  discord429: 6,
  discord5xx: 6,
  telegram429: 6,
  telegram5xx: 6,
} as const;

export type FaultKind = keyof typeof FAULT_WEIGHTS | 'relayGoneForGood';

export interface World {
  rng: Rng;
  comfy: FakeComfy[];
  cluster: RelayCluster;
  redis: DurableRedis;
  platforms: Platforms;
  /** Ids of jobs being delivered now (state `delivering`), and the process handling each. */
  delivering(): Promise<{ id: string; instance: string }[]>;
  /** Faults whose effect ends later (a stall, a process down) finish in the background. */
  background: Promise<unknown>[];
}

const later = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** How long a relay kill waits for a relay that has finished starting. */
const READY_WAIT_MS = 60_000;
/** How long an injected Telegram failure stays armed. */
const OUTAGE_MS = 5000;

/** Injects one fault of `kind`; returns a description for the log. */
export async function inject(kind: FaultKind, w: World): Promise<string> {
  const { rng, cluster } = w;
  const comfy = rng.pick(w.comfy);
  switch (kind) {
    case 'comfyRestart':
      await comfy.restart();
      return `ComfyUI ${comfy.port} killed and restarted (queue lost)`;
    case 'dropSockets':
      comfy.dropSockets();
      return `ComfyUI ${comfy.port} sockets dropped`;
    case 'stall': {
      const ms = rng.int(500, 4000);
      comfy.stall(true);
      w.background.push(later(ms).then(() => comfy.stall(false)));
      return `ComfyUI ${comfy.port} stalled ${ms} ms`;
    }
    case 'comfy5xx': {
      const path = rng.pick(['/prompt', '/history/', '/queue', '/view', '/upload/image', '/object_info']);
      const status = rng.pick([500, 502, 503]);
      const times = rng.int(1, 4);
      comfy.failHttp(path, status, times);
      return `ComfyUI ${comfy.port} answers ${status} to ${path} ${times}×`;
    }
    case 'dropPromptAnswer':
      comfy.dropResponses('/prompt', 1);
      return `ComfyUI ${comfy.port} queues the next prompt but its answer is lost`;
    case 'slowView': {
      const ms = rng.int(1000, 4000);
      comfy.slowView(20_000);
      w.background.push(later(ms).then(() => comfy.slowView(undefined)));
      return `ComfyUI ${comfy.port} serves /view at 20 kB/s for ${ms} ms`;
    }
    case 'relayKill':
    case 'relayKillMidDelivery': {
      // A running process is killed, not one still starting: on a loaded machine a start takes longer
      // than the gap between two kills, and killing it again then only keeps every relay down.
      for (let waited = 0; cluster.live.length === 0 && waited < READY_WAIT_MS; waited += 100)
        await later(100);
      const running = cluster.live.filter((s) => !s.gone);
      let slot = rng.pick(running.length > 0 ? running : cluster.slots.filter((s) => !s.gone));
      if (kind === 'relayKillMidDelivery') {
        // Deliveries made slow, then the process delivering one is killed right then.
        for (const c of w.comfy) c.slowView(50_000);
        const end = Date.now() + 5000;
        let found: { instance: string } | undefined;
        while (!found && Date.now() < end) {
          found = (await w.delivering())[0];
          if (!found) await later(50);
        }
        for (const c of w.comfy) c.slowView(undefined);
        const holder = cluster.slots.find(
          (s) => found && found.instance === `relay${s.index}-run${s.starts}`,
        );
        if (holder && !holder.gone) slot = holder;
      }
      await cluster.kill(slot);
      const downMs = rng.int(300, 3000);
      w.background.push(later(downMs).then(() => cluster.start(slot)));
      return `relay ${slot.index} SIGKILLed${kind === 'relayKillMidDelivery' ? ' mid-delivery' : ''}, back in ${downMs} ms`;
    }
    case 'relayGoneForGood': {
      const slot = cluster.slots[cluster.slots.length - 1]!;
      await cluster.kill(slot, true);
      return `relay ${slot.index} SIGKILLed for good`;
    }
    case 'redisRestart': {
      const downMs = rng.int(100, 1500);
      await w.redis.restart(downMs);
      return `redis-server SIGKILLed and restarted after ${downMs} ms`;
    }
    case 'discord429':
      w.platforms.discord.inject429({ times: rng.int(1, 3), retryAfterSec: rng.pick([0.5, 1, 2]) });
      return 'Discord answers 429';
    case 'discord5xx': {
      const status = rng.pick([500, 502, 503]);
      w.platforms.failDiscord(status, rng.int(1, 2));
      return `Discord answers ${status}`;
    }
    // An outage of Telegram lasts a while, whoever calls meanwhile: the failures are withdrawn after
    // it, so they do not pile up while every relay is down and then fail the next one's start.
    case 'telegram429': {
      const handle = w.platforms.telegram.inject429({ times: rng.int(1, 3), retryAfter: rng.pick([1, 2]) });
      w.background.push(later(OUTAGE_MS).then(() => handle.cancel()));
      return 'Telegram answers 429';
    }
    case 'telegram5xx': {
      const handle = w.platforms.telegram.injectFailure({
        times: rng.int(1, 2),
        status: 502,
        description: 'Bad Gateway',
      });
      w.background.push(later(OUTAGE_MS).then(() => handle.cancel()));
      return 'Telegram answers 502';
    }
  }
}
