import type { HttpBindings } from '@hono/node-server';
import type { Locale } from '#shared/i18n.ts';
import type { Requester } from '../../core/jobs/types.ts';
import type { HttpDeps } from './deps.ts';
import type { EventLog } from './event-log.ts';
import type { HttpFrontEnd } from './front-end.ts';
import type { Guards } from './guards.ts';

/** The ports and configuration the server was started with, and its own parts. */
export interface Deps extends HttpDeps {
  events: EventLog;
  frontEnd: HttpFrontEnd;
  /** True when the server is bound to loopback: then, while no key exists, no key is needed. */
  loopbackOnly: boolean;
}

/** Hono's per-request variables; under Node, the raw request too (uploads stream from it). */
export interface Env {
  Bindings: Partial<HttpBindings>;
  Variables: {
    deps: Deps;
    guards: Guards;
    locale: Locale;
    requester: Requester;
    keyId?: string;
    origin: string;
    /** A stream slot this request holds (see `holdingStreamSlot`); a stream it starts adopts it. */
    streamSlot?: () => void;
  };
}
