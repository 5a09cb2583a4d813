import { Agent, setGlobalDispatcher } from 'undici';

/**
 * Connections per origin for requests through the process-wide dispatcher (the platform clients:
 * Discord's REST client and Node's fetch; our ComfyUI clients have pools of their own). Unbounded, a
 * burst of 500 Discord interactions opened ~500 connections at once and their handshakes delayed the
 * deferrals; 64 kept-alive connections answered them sooner (bench/discord-burst.ts: p99 402–421 ms →
 * 277–333 ms). Discord allows 50 requests per second outside interaction callbacks, so 64 never queues
 * ordinary traffic.
 */
const CONNECTIONS_PER_ORIGIN = 64;

let bounded = false;
/** Installs the bounded dispatcher once per process. */
export function boundOutboundConnections(): void {
  if (bounded) return;
  bounded = true;
  setGlobalDispatcher(new Agent({ connections: CONNECTIONS_PER_ORIGIN }));
}
