// Which test files share a process, and in what order the processes start (`scripts/run-tests.ts`).

/**
 * Folders whose files share processes, a line each: `processes` of them (the files dealt out so that
 * each gets about the same time). A file in no line gets a process of its own.
 */
const SHARED: { dirs: string[]; processes: number }[] = [
  { dirs: ['test/unit/', 'test/conformance/', 'test/fakes/'], processes: 2 },
  { dirs: ['test/e2e/http/'], processes: 2 },
  { dirs: ['test/integration/comfy/', 'test/integration/safety/', 'test/integration/quota/'], processes: 1 },
  { dirs: ['test/e2e/telegram/'], processes: 1 },
  { dirs: ['test/e2e/cli/'], processes: 1 },
  { dirs: ['test/e2e/discord/'], processes: 1 },
  { dirs: ['test/integration/engine/'], processes: 1 },
];
/**
 * Files that keep a process of their own. The fault suite kills and restarts relays, Redis and fakes
 * for ~20 s; beside the other engine files in one process it took 84 s once on a loaded machine (not
 * understood yet), alone it takes 17–24 s.
 */
const ALONE = ['test/integration/engine/faults.test.ts'];

/**
 * Seconds a file takes on a quiet 2-core machine where far from its folder's usual (`TEST_TIMES=1`
 * prints them), so that long processes start first and none starts late and ends the run alone.
 */
const SLOW: Record<string, number> = {
  'test/integration/engine/faults.test.ts': 21,
  'test/e2e/http/browser.test.ts': 25,
  'test/integration/engine/takeover.test.ts': 4,
  'test/integration/engine/shared-queue.test.ts': 4,
  'test/integration/engine/engine.test.ts': 3,
  'test/e2e/discord/resilience.test.ts': 6,
  'test/unit/core/retention/thousand-jobs.test.ts': 5.5,
  'test/e2e/discord/sharding.test.ts': 5,
  'test/integration/engine/recovery.test.ts': 2,
  'test/unit/core/safety/nsfw-model.test.ts': 4,
  'test/fakes/telegram/fake-telegram.test.ts': 3.5,
  'test/e2e/cli/binary.test.ts': 3.5,
  'test/integration/comfy/v2-relay-process.test.ts': 3.5,
  'test/integration/safety/delivery-safety.test.ts': 3.5,
  'test/unit/core/quota/window-timers.test.ts': 3,
  'test/fakes/discord/fake-discord.test.ts': 3,
  'test/fakes/comfy/fake-comfy.test.ts': 3,
};
/** The usual seconds of a file, by folder. */
const USUAL: [string, number][] = [
  ['test/unit/', 0.35],
  ['test/conformance/', 0.35],
  ['test/fakes/', 1],
  ['test/e2e/http/', 2.5],
  ['test/e2e/telegram/', 2],
  ['test/e2e/', 1.5],
  ['test/integration/engine/', 1.5],
  ['test/integration/', 1.5],
];
const estimate = (f: string) => SLOW[f] ?? USUAL.find(([dir]) => f.startsWith(dir))?.[1] ?? 2;
const cost = (files: string[]) => files.reduce((sum, f) => sum + estimate(f), 0);

/** `files` dealt into `n` groups of about equal time, the longest files first. */
function deal(files: string[], n: number): string[][] {
  const groups = Array.from({ length: n }, () => [] as string[]);
  for (const f of [...files].sort((a, b) => estimate(b) - estimate(a))) {
    groups.reduce((lightest, g) => (cost(g) < cost(lightest) ? g : lightest)).push(f);
  }
  return groups.filter((g) => g.length).map((g) => g.sort());
}

/** The processes to run, each a list of files, the longest first. */
export function testProcesses(files: string[]): string[][] {
  const lineOf = (f: string) =>
    ALONE.includes(f) ? -1 : SHARED.findIndex((line) => line.dirs.some((dir) => f.startsWith(dir)));
  const shared = SHARED.flatMap((line, i) =>
    deal(
      files.filter((f) => lineOf(f) === i),
      line.processes,
    ),
  );
  const alone = files.filter((f) => lineOf(f) < 0).map((f) => [f]);
  return [...shared, ...alone].sort((a, b) => cost(b) - cost(a));
}
