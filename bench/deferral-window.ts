import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { writeFile } from 'node:fs/promises';
import { Session } from 'node:inspector/promises';
import { constants, type PerformanceEntry, PerformanceObserver } from 'node:perf_hooks';
import type { REST } from '@discordjs/rest';

export interface WindowCpu {
  userMs: number;
  systemMs: number;
  totalMs: number;
  wallMs: number;
  /** TCP connections this process opened in the window (to the fake Discord's REST API, mostly). */
  sockets: number;
  /** Garbage collection pauses in the window: count and milliseconds, scavenges and full collections. */
  gc: { minor: number; minorMs: number; major: number; majorMs: number };
}

/**
 * This process's CPU from now until its `count`-th interaction callback got its response (the
 * deferrals of a burst), and optionally a CPU profile of that same window written to `profilePath`.
 */
export async function deferralWindow(
  rest: REST,
  count: number,
  profilePath?: string,
): Promise<{ cpu: Promise<WindowCpu>; end(): void }> {
  const session = profilePath ? new Session() : undefined;
  if (session) {
    session.connect();
    await session.post('Profiler.enable');
    await session.post('Profiler.setSamplingInterval', { interval: 200 });
    await session.post('Profiler.start');
  }
  const gc = { minor: 0, minorMs: 0, major: 0, majorMs: 0 };
  const countGc = (entries: PerformanceEntry[]) => {
    for (const e of entries) {
      const kind = (e as { detail?: { kind?: number } }).detail?.kind;
      if (kind === constants.NODE_PERFORMANCE_GC_MINOR) {
        gc.minor++;
        gc.minorMs += e.duration;
      } else if (kind === constants.NODE_PERFORMANCE_GC_MAJOR) {
        gc.major++;
        gc.majorMs += e.duration;
      }
    }
  };
  const gcObserver = new PerformanceObserver((list) => countGc(list.getEntries()));
  gcObserver.observe({ entryTypes: ['gc'] });
  let sockets = 0;
  const onSocket = () => {
    sockets++;
  };
  subscribe('net.client.socket', onSocket);
  const startCpu = process.cpuUsage();
  const startWall = performance.now();
  let seen = 0;
  let finish = () => {};
  const cpu = new Promise<WindowCpu>((resolve) => {
    finish = () => {
      finish = () => {};
      const used = process.cpuUsage(startCpu);
      const wallMs = performance.now() - startWall;
      rest.off('response', onResponse);
      unsubscribe('net.client.socket', onSocket);
      // Entries are delivered asynchronously: take the undelivered ones before disconnecting.
      countGc(gcObserver.takeRecords());
      gcObserver.disconnect();
      resolve({
        gc,
        sockets,
        userMs: used.user / 1000,
        systemMs: used.system / 1000,
        totalMs: (used.user + used.system) / 1000,
        wallMs,
      });
    };
    const onResponse = (request: { path: string }) => {
      if (request.path.endsWith('/callback') && ++seen >= count) finish();
    };
    rest.on('response', onResponse);
  });
  /** Ends the window now if some deferrals never got their response. */
  const end = () => finish();
  if (!session || !profilePath) return { cpu, end };
  return {
    end,
    cpu: cpu.then(async (figures) => {
      const { profile } = await session.post('Profiler.stop');
      session.disconnect();
      await writeFile(profilePath, JSON.stringify(profile));
      return figures;
    }),
  };
}
