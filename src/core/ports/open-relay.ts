import type { Config } from '../../config/index.ts';
import { type AppOptions, createApp } from '../app.ts';
import { type RelayPorts, relayPorts } from './relay-ports.ts';

export type RelayOptions = AppOptions;

/** The core running in this process, seen only through its ports. */
export interface Relay {
  ports: RelayPorts;
  /** Picks up unfinished jobs and starts dispatching: call once the front ends are registered. */
  start(): Promise<void>;
  /** Stops taking jobs, lets deliveries finish within the deadline, closes everything. */
  close(deadlineMs?: number): Promise<void>;
}

/**
 * Wires the core for a process that runs front ends on their own (the command line, one Discord shard),
 * so they get the ports and never the app. The server's composition root (`src/main.ts`) wires its own.
 */
export async function openRelay(config: Config, options: RelayOptions = {}): Promise<Relay> {
  const app = await createApp(config, options);
  return {
    ports: relayPorts(app),
    start: () => app.engine.start(),
    close: (deadlineMs) => app.close(deadlineMs),
  };
}
