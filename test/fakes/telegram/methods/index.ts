/** Registry of the Bot API methods the fake implements, looked up case-insensitively as Telegram does. */
import { chatMethods } from './chats.ts';
import type { MethodHandler } from './context.ts';
import { mediaMethods } from './media.ts';
import { messageMethods } from './messages.ts';
import { updateMethods } from './updates.ts';

const all: Record<string, MethodHandler> = {
  ...messageMethods,
  ...mediaMethods,
  ...chatMethods,
  ...updateMethods,
};

export const METHODS = new Map<string, { name: string; handler: MethodHandler }>(
  Object.entries(all).map(([name, handler]) => [name.toLowerCase(), { name, handler }]),
);

export type { FakeSettings, MethodContext, MethodHandler } from './context.ts';
