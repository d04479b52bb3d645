/**
 * The request duration histogram, by route pattern (never the URL: a hostile caller must not be
 * able to add series), method and status. Observed when the response finishes or the client goes.
 */
import type { RequestHandler } from 'express';
import type { ServiceMetrics } from '../operations/service-metrics.ts';

export function requestMetrics(metrics: ServiceMetrics): RequestHandler {
  return (req, res, next) => {
    const started = performance.now();
    res.once('close', () => {
      const route = (req.route as { path?: string } | undefined)?.path ?? 'unmatched';
      metrics.requestDuration.observe({ route, method: req.method, status: String(res.statusCode) }, (performance.now() - started) / 1000);
    });
    next();
  };
}
