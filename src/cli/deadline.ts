/**
 * `work`'s value, or `undefined` once `ms` have passed without one. The timer is cleared either way: a
 * command run in-process leaves nothing behind that would keep its host alive.
 */
export async function withinDeadline<T>(work: Promise<T>, ms: number): Promise<T | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<undefined>((r) => {
    timer = setTimeout(() => r(undefined), ms);
  });
  try {
    return await Promise.race([work, late]);
  } finally {
    clearTimeout(timer);
  }
}
