import { z } from 'zod';
import { httpUrl, port } from '../../config/primitives.ts';
import { type PlatformModule, tierMatch } from '../../core/platforms/platform-module.ts';
import { telegramDeps } from './deps.ts';
import { telegramCatalog } from './messages.ts';

// The Telegram platform as the server and the command line see it: light on purpose (no telegraf here).

const telegramSection = z.strictObject({
  token: z.string().min(1).optional(),
  apiRoot: httpUrl.optional(),
  webhook: z
    .strictObject({
      url: httpUrl,
      secretToken: z.string().regex(/^[A-Za-z0-9_-]{1,256}$/),
      port: port.default(8443),
    })
    .optional(),
  privateChatPlainText: z.boolean().default(true),
  sendOriginalsAsDocuments: z.boolean().default(false),
});

declare module '../../config/platform-config.ts' {
  interface PlatformSections {
    telegram: typeof telegramSection;
  }
  interface PlatformTierMatchKeys {
    /** Admins of the group the request comes from get the tier. */
    telegramAdmins: boolean;
  }
}

export const telegramPlatform: PlatformModule = {
  name: 'telegram',
  configSection: {
    key: 'telegram',
    schema: telegramSection,
    env: [{ names: ['COMFYRELAY_TELEGRAM_TOKEN', 'TELEGRAM_BOT_TOKEN'], path: ['token'], kind: 'string' }],
  },
  tierMatch: tierMatch(
    { telegramAdmins: z.boolean() },
    (match, requester) => match.telegramAdmins === true && requester.isChatAdmin === true,
  ),
  catalog: telegramCatalog,
  enabled: (config) => config.telegram.token !== undefined,
  startHint: 'http.start.chatHint',
  async start({ ports, config }) {
    const { startTelegram } = await import('./index.ts');
    return startTelegram(telegramDeps(ports, config));
  },
};
