/**
 * Serves the dashboard at `/` (`/`, `/dashboard.js`, `/dashboard.css`), bundled on the first
 * request (dashboard/build-dashboard.ts) and kept in memory. The page's own Content-Security-Policy
 * replaces the API's for these three answers: scripts, styles and fetches from this origin only
 * (CSP Level 3 matches `ws:` to the same host and port under 'self', which the dashboard socket
 * needs), no inline script or style, no other origin of any kind, no framing.
 * https://www.w3.org/TR/CSP3/#match-url-to-source-expression
 */
import type { Express, Request, Response } from 'express';
import { buildDashboard, type DashboardAssets } from '../../dashboard/build-dashboard.ts';
import { sendBody } from './express-adapter.ts';

export const dashboardContentSecurityPolicy = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "connect-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
  "object-src 'none'",
].join('; ');

const files: Record<string, { type: string; pick: (assets: DashboardAssets) => string }> = {
  '/': { type: 'text/html; charset=utf-8', pick: (a) => a.html },
  '/dashboard.js': { type: 'text/javascript; charset=utf-8', pick: (a) => a.js },
  '/dashboard.css': { type: 'text/css; charset=utf-8', pick: (a) => a.css },
};

/** Mounts the page's three GET routes (HEAD too) on the app, before its 404. */
export function mountDashboard(app: Express, build: () => Promise<DashboardAssets> = buildDashboard): void {
  let assets: Promise<DashboardAssets> | undefined;
  app.get(Object.keys(files), async (req: Request, res: Response) => {
    // A failed build is tried again on the next request rather than kept.
    assets ??= build().catch((error: unknown) => {
      assets = undefined;
      throw error;
    });
    // A build failure is a 500 the error handler logs; the body says nothing of it.
    const built = await assets;
    const file = files[req.path];
    res.setHeader('content-security-policy', dashboardContentSecurityPolicy);
    res.setHeader('cache-control', 'no-cache');
    sendBody(res, 200, file.type, file.pick(built));
  });
}
