import { discordPlatform } from './adapters/discord/module.ts';
import { httpPlatform } from './adapters/http/module.ts';
import { telegramPlatform } from './adapters/telegram/module.ts';
import type { PlatformModule } from './core/platforms/platform-module.ts';

/**
 * Every platform this build ships, in start order (closed in reverse). Adding a platform is one
 * descriptor beside its adapter and one line here: core and config never name one. Outside the layers,
 * like `main.ts`: the server, the command line and the tests take the list from here.
 */
export const PLATFORMS: readonly PlatformModule[] = [httpPlatform, discordPlatform, telegramPlatform];
