import {
  type BufferedRequestInit,
  type BufferedResponse,
  bufferedRequest,
} from '../../comfy/buffered-request.ts';

export type { BufferedRequestInit, BufferedResponse };

/**
 * Outbound HTTP for a platform's own client library (Discord's REST client): requests through the
 * process-wide dispatcher that `src/comfy` owns, each answer read whole. Front ends reach HTTP only
 * through here, as they reach ComfyUI only through the core.
 */
export interface PlatformHttp {
  request(url: string, init: BufferedRequestInit): Promise<BufferedResponse>;
}

export const platformHttp: PlatformHttp = { request: bufferedRequest };
