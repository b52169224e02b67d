import type { Config } from '../config.ts';
import type { App } from './context.ts';

/**
 * Security headers on every response. Scripts only from our own origin (no inline scripts); inline styles
 * are allowed because Ant Design writes its CSS-in-JS into style elements. The API docs page brings its own
 * CSP from @fastify/swagger-ui.
 */
const csp = (imgExtra: string) => [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  `img-src 'self' data: blob:${imgExtra}`,
  "font-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
];

/** The map tiles' host (MAP_TILE_URL, validated in config.ts), allowed as an image source; `{s}` → `*`. */
export function tileImageSource(tileUrl: string): string {
  const match = /^(https?:\/\/)([^/?#]+)/.exec(tileUrl);
  if (!match) return '';
  const [first, ...rest] = (match[2] as string).split('.');
  return ` ${match[1]}${[(first as string).includes('{') ? '*' : first, ...rest].join('.')}`;
}

export function installSecurityHeaders(app: App, config: Config) {
  const CSP = csp(tileImageSource(config.mapTileUrl)).join('; ');
  app.addHook('onSend', async (request, reply) => {
    reply.header('x-content-type-options', 'nosniff');
    reply.header('referrer-policy', 'same-origin');
    reply.header('x-frame-options', 'DENY');
    reply.header('cross-origin-opener-policy', 'same-origin');
    if (!request.url.startsWith('/api/docs')) reply.header('content-security-policy', CSP);
    if (config.cookieSecure) reply.header('strict-transport-security', 'max-age=31536000; includeSubDomains');
    // API answers are not cached, unless a route chose its own policy (attachments: private).
    if (request.url.startsWith('/api/') && !reply.hasHeader('cache-control')) reply.header('cache-control', 'no-store');
  });
}
