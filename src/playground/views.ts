import type { FakeMessage } from '../../test/fakes/discord/fake-discord.ts';
import type { StoredMessage } from '../../test/fakes/telegram/state.ts';

// What a member would see of one message, as lines of plain text (no colours: transcripts are pasted).

type Embed = {
  title?: string;
  description?: string;
  fields?: { name: string; value: string }[];
  image?: { url?: string };
  footer?: { text?: string };
};
type Row = { components?: { label?: string; custom_id?: string }[] };

const buttonsLine = (labels: string[]) => (labels.length ? [labels.map((l) => `[${l}]`).join(' ')] : []);
const kb = (bytes: number) => `${Math.max(1, Math.round(bytes / 1024))} KB`;

/** A Discord message: its text, embed (title, prompt, fields), files and buttons. */
export function discordView(
  m: Pick<FakeMessage, 'content' | 'embeds' | 'attachments' | 'components'>,
): string[] {
  const lines = m.content ? m.content.split('\n') : [];
  for (const e of m.embeds as Embed[]) {
    if (e.title) lines.push(`▌ ${e.title}`);
    if (e.description) lines.push(`▌ ${e.description}`);
    if (e.fields?.length) lines.push(`▌ ${e.fields.map((f) => `${f.name}: ${f.value}`).join(' · ')}`);
    if (e.footer?.text) lines.push(`▌ ${e.footer.text}`);
  }
  const files = m.attachments.map((a) => {
    const size = a.width && a.height ? `${a.width}×${a.height}, ` : '';
    return `${a.filename} (${size}${kb(a.size)})`;
  });
  if (files.length) lines.push(`🖼 ${files.join(', ')}`);
  const rows = (m.components as Row[]).map((r) =>
    (r.components ?? []).map((c) => c.label ?? c.custom_id ?? '?'),
  );
  for (const row of rows) lines.push(...buttonsLine(row));
  return lines;
}

/** A Telegram message: its text or caption, its photo or file, its inline keyboard. */
export function telegramView(m: StoredMessage): string[] {
  const lines: string[] = [];
  if (m.photo?.length) {
    const big = m.photo.at(-1)!;
    lines.push(`🖼 photo ${big.width}×${big.height}${m.media_group_id ? ' (album)' : ''}`);
  }
  if (m.document) lines.push(`📄 ${m.document.file_name ?? 'file'}${m.media_group_id ? ' (album)' : ''}`);
  const text = m.text ?? m.caption;
  if (text) lines.push(...text.split('\n'));
  const rows = ((m.reply_markup?.['inline_keyboard'] ?? []) as { text: string }[][]).map((r) =>
    r.map((b) => b.text),
  );
  for (const row of rows) lines.push(...buttonsLine(row));
  return lines;
}

/**
 * A status message's text with its progress bar reduced to "progress": successive progress edits read
 * the same, so a transcript shows each new state once rather than every percent.
 */
export const withoutProgress = (lines: readonly string[]): string =>
  lines.map((l) => (/[▰▱]/.test(l) ? '▰▱ …' : l)).join('\n');
