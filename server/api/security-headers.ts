/**
 * Security headers (helmet) for a JSON API that will also serve the dashboard page from the same
 * origin. The Content-Security-Policy allows only same-origin scripts, styles, images (and data:
 * images) and fetches, and no framing, plugins or base-URI changes, so a page can be added later
 * without loosening it; for JSON responses it is inert but harmless. helmet's other defaults stay:
 * nosniff (a JSON body is never run as script), frame-ancestors/X-Frame-Options deny-equivalents,
 * no Referer across origins, HSTS (ignored by browsers over plain HTTP, in force behind TLS),
 * cross-origin isolation headers, and no X-Powered-By.
 * https://helmetjs.github.io/ and https://owasp.org/www-project-secure-headers/
 */
import type { RequestHandler } from 'express';
import helmet from 'helmet';

export function securityHeaders(): RequestHandler {
  return helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        'default-src': ["'self'"],
        'script-src': ["'self'"],
        'style-src': ["'self'"],
        'img-src': ["'self'", 'data:'],
        'connect-src': ["'self'"],
        'object-src': ["'none'"],
        'base-uri': ["'none'"],
        'form-action': ["'self'"],
        'frame-ancestors': ["'none'"],
      },
    },
    referrerPolicy: { policy: 'no-referrer' },
    // Other origins read this API through CORS (cors-policy.ts), which CORP does not block.
    crossOriginResourcePolicy: { policy: 'same-site' },
  });
}
