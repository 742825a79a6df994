import type { NextFunction, Request, Response } from 'express';
import helmet from 'helmet';

/**
 * The Content-Security-Policy of everything the api serves except the OpenAPI UI: the staff
 * console (apps/web) loads only its own hashed scripts and styles, talks only to its own
 * origin (REST, SSE and the socket.io WebSocket: 'self' covers ws/wss of the same host), and
 * shows images only from itself or data: URLs (the favicon, chart exports). No inline script
 * or style, no eval, no frames. JSON responses get the same header; it costs nothing there.
 * `upgrade-insecure-requests` is left out on purpose: on http://localhost (`npm start`) it
 * would make the browser ask for https assets nobody serves; TLS deployments rely on HSTS.
 */
export const CONSOLE_CSP_DIRECTIVES = {
  'default-src': ["'self'"],
  'script-src': ["'self'"],
  'script-src-attr': ["'none'"],
  'style-src': ["'self'"],
  'img-src': ["'self'", 'data:'],
  'font-src': ["'self'"],
  // The talking avatar's video comes over WebRTC from the vendor's LiveKit Cloud room
  // (LiveAvatar and HeyGen both host there); its signalling WebSocket is the one foreign
  // connection the console opens. Media itself is not governed by CSP.
  'connect-src': ["'self'", 'wss://*.livekit.cloud'],
  'object-src': ["'none'"],
  'base-uri': ["'self'"],
  'form-action': ["'self'"],
  'frame-ancestors': ["'none'"],
};

/** Swagger UI's page (/docs) ships inline styles and its init script; it keeps helmet's default policy. */
const isDocsPath = (path: string) => path === '/docs' || path.startsWith('/docs/') || path.startsWith('/docs-json');

/** helmet's headers everywhere, with the console's strict CSP on every path but /docs. */
export function securityHeaders(): (req: Request, res: Response, next: NextFunction) => void {
  const docs = helmet();
  const strict = helmet({ contentSecurityPolicy: { useDefaults: false, directives: CONSOLE_CSP_DIRECTIVES } });
  return (req, res, next) => (isDocsPath(req.path) ? docs : strict)(req, res, next);
}
