import { JOB_ID_PATTERN } from '../jobs/job-id.ts';

/** What a result or status button does. Short codes keep ids inside Discord's 100 and Telegram's 64 bytes. */
export const ACTIONS = {
  reroll: 'r',
  variation: 'v',
  upscale: 'u',
  useSeed: 's',
  delete: 'd',
  cancel: 'c',
  show: 'w',
} as const;
export type ActionName = keyof typeof ACTIONS;

export interface ButtonAction {
  action: ActionName;
  jobId: string;
  /** 1-based image number for variation / upscale. */
  index?: number;
}

const BY_CODE = new Map<string, ActionName>(
  Object.entries(ACTIONS).map(([name, code]) => [code, name as ActionName]),
);
const PREFIX = 'cr';

/** `cr:u:abc123defg:2` — at most 20 bytes. */
export function encodeAction(a: ButtonAction): string {
  return [PREFIX, ACTIONS[a.action], a.jobId, ...(a.index === undefined ? [] : [String(a.index)])].join(':');
}

/** Parses a button id; anything forged or foreign is `undefined`, never an exception. */
export function decodeAction(raw: string): ButtonAction | undefined {
  if (raw.length > 40) return undefined;
  const [prefix, code, jobId, index, ...rest] = raw.split(':');
  if (prefix !== PREFIX || rest.length > 0 || !code || !jobId || !JOB_ID_PATTERN.test(jobId))
    return undefined;
  const action = BY_CODE.get(code);
  if (!action) return undefined;
  if (index === undefined)
    return action === 'variation' || action === 'upscale' ? undefined : { action, jobId };
  if (!/^[1-9]\d?$/.test(index) || (action !== 'variation' && action !== 'upscale')) return undefined;
  return { action, jobId, index: Number(index) };
}
