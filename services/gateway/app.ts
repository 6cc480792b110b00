import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { secureHeaders } from 'hono/secure-headers';
import type { Deps } from '../core/deps.ts';
import { AppError } from '../core/errors.ts';
import { documentStatusCounts } from '../core/stats.ts';
import { identify, requireAdmin, requireUser } from '../http/auth.ts';
import { csrfGuard } from '../http/csrf.ts';
import type { AppEnv } from '../http/env.ts';
import { jsonErrorHandler, jsonNotFound } from '../http/errors.ts';
import { healthRoutes } from '../http/health.ts';
import { Metrics } from '../http/metrics.ts';
import { requestContext } from '../http/request-context.ts';
import { adminRoutes } from './routes/admin.ts';
import { apiKeyRoutes } from './routes/api-keys.ts';
import { authRoutes } from './routes/auth.ts';
import { chatRoutes } from './routes/chat.ts';
import { difyRoutes } from './routes/dify.ts';
import { documentRoutes } from './routes/documents.ts';
import { invitationRoutes } from './routes/invitations.ts';
import { kbRoutes } from './routes/kbs.ts';
import { mcpRoutes } from './routes/mcp.ts';
import { noteRoutes } from './routes/notes.ts';
import { openAiRoutes } from './routes/openai.ts';
import { referenceRoutes } from './routes/reference.ts';
import { searchRoutes } from './routes/search.ts';
import { sharedNoteRoutes } from './routes/shared-notes.tsx';

/** Bodies that are not uploads (JSON) are refused past this size: a 200 000-character note fits. */
const JSON_LIMIT_MB = 2;

/** The public API: `/api/*`, `/v1/*`, health. Builds the app, nothing else. */
export function createApp(deps: Deps) {
  const app = new Hono<AppEnv>();
  const uploadLimit = deps.config.MAX_UPLOAD_MB * 1024 * 1024;

  const metrics = new Metrics('gateway');
  metrics.gauge('context_os_documents', 'Documents per ingest status.', 'status', () => documentStatusCounts(deps.db));

  app.use(requestContext(deps.logger));
  app.use(metrics.middleware());
  app.use(secureHeaders({ crossOriginResourcePolicy: 'same-origin' }));
  app.onError(jsonErrorHandler);
  app.notFound(jsonNotFound);

  app.route('/', healthRoutes('gateway', deps.readiness));
  metrics.mount(app);

  const api = new Hono<AppEnv>();
  const tooLarge = (mb: number) => () => {
    throw new AppError('payload_too_large', `Request is larger than ${mb} MB`);
  };
  const uploadBody = bodyLimit({ maxSize: uploadLimit + 64 * 1024, onError: tooLarge(deps.config.MAX_UPLOAD_MB) });
  const smallBody = bodyLimit({ maxSize: JSON_LIMIT_MB * 1024 * 1024, onError: tooLarge(JSON_LIMIT_MB) });
  // Multipart uploads get the upload limit plus room for the form envelope; JSON stays small.
  api.use((c, next) =>
    c.req.header('content-type')?.toLowerCase().startsWith('multipart/form-data')
      ? uploadBody(c, next)
      : smallBody(c, next),
  );
  api.use(identify(deps), csrfGuard(deps.config));
  api.route(
    '/',
    referenceRoutes(() => app),
  );
  api.route('/auth', authRoutes(deps));
  api.use('/api-keys/*', requireUser);
  api.route('/api-keys', apiKeyRoutes(deps));
  api.use('/kbs/*', requireUser);
  api.route('/kbs', kbRoutes(deps));
  for (const path of ['/invitations', '/invitations/*', '/admin/*']) api.use(path, requireUser, requireAdmin);
  api.route('/invitations', invitationRoutes(deps));
  api.route('/admin', adminRoutes(deps));
  api.route('/', documentRoutes(deps));
  api.route('/', noteRoutes(deps));
  api.use('/search', requireUser);
  api.route('/search', searchRoutes(deps));
  api.route('/dify', difyRoutes(deps));
  api.use('/chat/*', requireUser);
  api.route('/chat', chatRoutes(deps));
  app.route('/api', api);
  app.use('/mcp', smallBody, identify(deps));
  app.route('/mcp', mcpRoutes(deps));
  app.route('/shared', sharedNoteRoutes(deps));
  app.route('/v1', openAiRoutes(deps));

  return app;
}
