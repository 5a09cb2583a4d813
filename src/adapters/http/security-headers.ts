import { secureHeaders } from 'hono/secure-headers';

/**
 * Headers on every response: no sniffing, no framing, no referrer, resources for this origin only. HSTS
 * is left to the TLS-terminating proxy (this server speaks plain HTTP on loopback or behind one).
 */
export const baseSecurityHeaders = secureHeaders({
  strictTransportSecurity: false,
  xFrameOptions: 'DENY',
  referrerPolicy: 'no-referrer',
  crossOriginResourcePolicy: 'same-origin',
});

/**
 * The web page's Content-Security-Policy: its own script and style only (no inline code), images from
 * itself, `data:` (previews) and `blob:` (downloaded results; videos and audio too), and no framing by anyone, so a page on
 * another site cannot overlay it.
 */
export const pageSecurityHeaders = secureHeaders({
  strictTransportSecurity: false,
  xFrameOptions: 'DENY',
  referrerPolicy: 'no-referrer',
  contentSecurityPolicy: {
    defaultSrc: ["'none'"],
    scriptSrc: ["'self'"],
    styleSrc: ["'self'"],
    imgSrc: ["'self'", 'data:', 'blob:'],
    mediaSrc: ["'self'", 'blob:'],
    connectSrc: ["'self'"],
    frameAncestors: ["'none'"],
    baseUri: ["'none'"],
    formAction: ["'self'"],
  },
});
