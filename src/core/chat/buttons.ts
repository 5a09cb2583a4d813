import type { Locale } from '#shared/i18n.ts';
import { type ActionName, encodeAction } from './actions.ts';

export interface ChatButton {
  id: string;
  action: ActionName;
  label: string;
  /** `danger` for delete and cancel; platforms that have no styles ignore it. */
  style: 'primary' | 'secondary' | 'danger';
}

const LABELS: Record<ActionName, { en: string; zh: string }> = {
  reroll: { en: '🔄 Reroll', zh: '🔄 重新生成' },
  variation: { en: 'V', zh: '变体' },
  upscale: { en: 'U', zh: '放大' },
  useSeed: { en: '🌱 Use seed', zh: '🌱 使用种子' },
  delete: { en: '🗑️ Delete', zh: '🗑️ 删除' },
  cancel: { en: '✖ Cancel', zh: '✖ 取消' },
  show: { en: 'Show', zh: '查看' },
};

export function label(action: ActionName, locale: Locale): string {
  return LABELS[action][locale];
}

/**
 * The buttons under a result, in rows: per-image variation and upscale (when those templates exist),
 * then reroll / use seed / delete. Rows have at most 5 buttons (Discord's limit; Telegram is looser).
 */
export function resultButtons(
  jobId: string,
  images: number,
  locale: Locale,
  available: { variation: boolean; upscale: boolean },
): ChatButton[][] {
  const rows: ChatButton[][] = [];
  const n = Math.min(images, 4);
  if (available.upscale && n > 0) {
    rows.push(
      Array.from({ length: n }, (_, i) => ({
        id: encodeAction({ action: 'upscale', jobId, index: i + 1 }),
        action: 'upscale' as const,
        label: `${label('upscale', locale)}${i + 1}`,
        style: 'secondary' as const,
      })),
    );
  }
  if (available.variation && n > 0) {
    rows.push(
      Array.from({ length: n }, (_, i) => ({
        id: encodeAction({ action: 'variation', jobId, index: i + 1 }),
        action: 'variation' as const,
        label: `${label('variation', locale)}${i + 1}`,
        style: 'secondary' as const,
      })),
    );
  }
  rows.push([
    {
      id: encodeAction({ action: 'reroll', jobId }),
      action: 'reroll',
      label: label('reroll', locale),
      style: 'primary',
    },
    {
      id: encodeAction({ action: 'useSeed', jobId }),
      action: 'useSeed',
      label: label('useSeed', locale),
      style: 'secondary',
    },
    {
      id: encodeAction({ action: 'delete', jobId }),
      action: 'delete',
      label: label('delete', locale),
      style: 'danger',
    },
  ]);
  return rows;
}

/** The single Cancel button under a status message. */
export function statusButtons(jobId: string, locale: Locale): ChatButton[][] {
  return [
    [
      {
        id: encodeAction({ action: 'cancel', jobId }),
        action: 'cancel',
        label: label('cancel', locale),
        style: 'danger',
      },
    ],
  ];
}
