import { Hono } from 'hono';
import { z } from 'zod';
import type { Deps } from '../core/deps.ts';
import { searchLocal, searchRequestSchema } from '../core/search/index.ts';
import { INTERNAL_SEARCH_PATH } from '../core/search/remote.ts';
import type { AppEnv } from '../http/env.ts';
import { jsonErrorHandler, jsonNotFound } from '../http/errors.ts';
import { healthRoutes } from '../http/health.ts';
import { requestContext } from '../http/request-context.ts';
import { validate } from '../http/validate.ts';
import { internalAuth } from './internal-auth.ts';

const internalSearchSchema = searchRequestSchema.extend({ userId: z.string().min(1).max(100) });

/** The search service: three-layer retrieval behind a token-protected internal endpoint. */
export function createApp(deps: Deps) {
  const app = new Hono<AppEnv>();
  app.use(requestContext(deps.logger));
  app.onError(jsonErrorHandler);
  app.notFound(jsonNotFound);
  app.route('/', healthRoutes('search', [...deps.readiness, deps.embeddingIndex.readiness]));
  app.post(
    INTERNAL_SEARCH_PATH,
    internalAuth(deps.config.INTERNAL_TOKEN),
    validate('json', internalSearchSchema),
    async (c) => {
      const { userId, ...req } = c.req.valid('json');
      return c.json(await searchLocal(deps, { userId }, req));
    },
  );
  return app;
}
