import { enableCompileCache } from 'node:module';

// The entry point of `comfyrelay` (bin/comfyrelay.js imports this file). Outside the layers, like
// `main.ts`: it hands the command line the platforms' descriptors (their configuration sections),
// never their adapters, and only to the commands that read the configuration file.
// Startup is most of a short command's time: the compile cache keeps Node from stripping the types
// of every module again on each run, and every import below is dynamic so that it comes after the
// cache is on and `workflows inspect` loads neither the platforms nor the engine.
// In-process (tests, embedding): `runCli` in `cli/run-cli.ts`, given the same `PLATFORMS` to load.

enableCompileCache();
const { runProcess } = await import('./cli/process-entry.ts');
runProcess(async () => (await import('./platforms.ts')).PLATFORMS);
