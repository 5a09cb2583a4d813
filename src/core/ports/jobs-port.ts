import type { JobEngine } from '../jobs/job-service.ts';

/**
 * What a front end may do with jobs: submit and follow them, cancel, show where they wait, record where
 * it shows them, and register itself to present updates and results. Starting, recovering and shutting
 * the engine down stay with the composition root.
 */
export type JobsPort = Pick<
  JobEngine,
  | 'submit'
  | 'get'
  | 'cancel'
  | 'position'
  | 'listForUser'
  | 'queueSnapshot'
  | 'updateDelivery'
  | 'markDeleted'
  | 'registerFrontEnd'
  | 'expect'
  | 'fulfilled'
>;

/** The engine seen through `JobsPort` only: the object handed out has no other method to reach for. */
export function jobsPort(engine: JobsPort): JobsPort {
  return {
    submit: (input) => engine.submit(input),
    get: (id) => engine.get(id),
    cancel: (id, by, opts) => engine.cancel(id, by, opts),
    position: (id) => engine.position(id),
    listForUser: (requester, limit) => engine.listForUser(requester, limit),
    queueSnapshot: () => engine.queueSnapshot(),
    updateDelivery: (id, patch) => engine.updateDelivery(id, patch),
    markDeleted: (id) => engine.markDeleted(id),
    registerFrontEnd: (frontEnd) => engine.registerFrontEnd(frontEnd),
    expect: (key, target) => engine.expect(key, target),
    fulfilled: (key) => engine.fulfilled(key),
  };
}
