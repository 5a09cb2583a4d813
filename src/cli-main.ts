import { runCli } from './cli/main.ts';
import { PLATFORMS } from './platforms.ts';

// The entry point of `comfyrelay` (bin/comfyrelay.js imports this file). Outside the layers, like
// `main.ts`: it hands the command line the platforms' descriptors (their configuration sections),
// never their adapters, which load only when a server starts them.

runCli(PLATFORMS);
