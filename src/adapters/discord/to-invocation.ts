import type { CommandSpec } from '../../../commands/index.ts';
import { MAX_INPUT_BYTES } from '../../core/chat/input-image.ts';
import type { UserMessage } from '#shared/i18n.ts';

/** A slash command's typed option values by name (attachments apart), as the command reads them. */
export function slashOptions(
  spec: CommandSpec,
  value: (name: string) => string | number | boolean | undefined | null,
): Record<string, string | number | boolean | undefined> {
  const options: Record<string, string | number | boolean | undefined> = {};
  for (const o of spec.options) if (o.kind !== 'attachment') options[o.name] = value(o.name) ?? undefined;
  return options;
}

/** Larger attachments are not even downloaded: the pipeline would refuse them (`checkInputImage`). */
export const tooBig = (bytes: number): boolean => bytes > MAX_INPUT_BYTES;

export const tooBigMessage: UserMessage = {
  code: 'chat.image.tooBig',
  params: { mb: Math.round(MAX_INPUT_BYTES / 2 ** 20) },
};

export const download = async (url: string): Promise<Uint8Array> =>
  new Uint8Array(await (await fetch(url)).arrayBuffer());
