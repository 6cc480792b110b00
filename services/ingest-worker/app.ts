import { Hono } from 'hono';
import type { Deps } from '../core/deps.ts';
import type { AppEnv } from '../http/env.ts';
import { jsonErrorHandler, jsonNotFound } from '../http/errors.ts';
import { healthRoutes } from '../http/health.ts';
import { requestContext } from '../http/request-context.ts';

/** The ingest worker's HTTP side: `/healthz` and `/readyz` only; the work comes from the queue. */
export function createApp(deps: Deps) {
  const app = new Hono<AppEnv>();
  app.use(requestContext(deps.logger));
  app.onError(jsonErrorHandler);
  app.notFound(jsonNotFound);
  app.route('/', healthRoutes('ingest-worker', deps.readiness));
  return app;
}
