import { Hono, type MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { secureHeaders } from 'hono/secure-headers';
import type { Deps } from '../core/deps.ts';
import { AppError } from '../core/errors.ts';
import { identify } from '../http/auth.ts';
import { csrfGuard } from '../http/csrf.ts';
import { healthRoutes } from '../http/health.ts';
import { requestContext } from '../http/request-context.ts';
import type { AdminEnv } from './env.ts';
import { chooseLocale, requireAdminRole, requireLogin } from './middleware.ts';
import { accountPages } from './routes/account.tsx';
import { adminAuditPages } from './routes/admin/audit.tsx';
import { adminBackupPages } from './routes/admin/backups.tsx';
import { adminHealthPages } from './routes/admin/health.tsx';
import { adminInvitationPages } from './routes/admin/invitations.tsx';
import { adminJobPages } from './routes/admin/jobs.tsx';
import { adminUserPages } from './routes/admin/users.tsx';
import { apiKeyPages } from './routes/api-keys.tsx';
import { assetRoutes } from './routes/assets.ts';
import { authPages } from './routes/auth.tsx';
import { chatPages } from './routes/chat.tsx';
import { documentPages } from './routes/documents.tsx';
import { kbPages } from './routes/kbs.tsx';
import { langRoutes } from './routes/lang.ts';
import { memberPages } from './routes/members.tsx';
import { notePages } from './routes/notes.tsx';
import { searchPages } from './routes/search.tsx';
import { consoleErrorHandler, consoleNotFound } from './views/error.tsx';

/** Upload forms may carry several files at once. */
const FILES_PER_REQUEST = 4;
/** Every other form is small text. */
const FORM_LIMIT = 1024 * 1024;
const UPLOAD_PATH = /^\/kbs\/[^/]+\/documents$/;

/** Reads a posted form once (handlers reuse Hono's cached copy): a malformed body is a 400, not a 500. */
const formReadable: MiddlewareHandler<AdminEnv> = async function formReadable(c, next) {
  const type = c.req.header('content-type') ?? '';
  if (c.req.method !== 'GET' && /^(multipart\/form-data|application\/x-www-form-urlencoded)/i.test(type)) {
    try {
      await c.req.formData();
    } catch {
      throw new AppError('bad_request', 'The form could not be read');
    }
  }
  await next();
};

const CSP = {
  defaultSrc: ["'self'"],
  scriptSrc: ["'self'"],
  styleSrc: ["'self'"],
  imgSrc: ["'self'", 'data:'],
  connectSrc: ["'self'"],
  formAction: ["'self'"],
  frameAncestors: ["'none'"],
  baseUri: ["'self'"],
  objectSrc: ["'none'"],
};

/** The server-rendered console for end users and admins. Builds the app, nothing else. */
export function createApp(deps: Deps) {
  const app = new Hono<AdminEnv>();
  const maxSize = deps.config.MAX_UPLOAD_MB * 1024 * 1024 * FILES_PER_REQUEST + 64 * 1024;

  app.use(requestContext(deps.logger));
  app.use(
    secureHeaders({
      contentSecurityPolicy: CSP,
      crossOriginResourcePolicy: 'same-origin',
      referrerPolicy: 'same-origin',
    }),
  );
  app.onError(consoleErrorHandler);
  app.notFound(consoleNotFound);

  app.route('/', healthRoutes('admin', deps.readiness));
  app.route('/assets', assetRoutes());

  app.use(chooseLocale);
  const tooLarge = (limit: number) => () => {
    throw new AppError('payload_too_large', `Request is larger than ${Math.round(limit / 1024)} KB`);
  };
  const uploadLimit = bodyLimit({ maxSize, onError: tooLarge(maxSize) });
  const formLimit = bodyLimit({ maxSize: FORM_LIMIT, onError: tooLarge(FORM_LIMIT) });
  app.use((c, next) => (UPLOAD_PATH.test(c.req.path) ? uploadLimit(c, next) : formLimit(c, next)));
  app.use(formReadable);
  app.use(identify(deps), csrfGuard(deps.config));

  app.get('/', (c) => c.redirect(c.get('user') ? '/kbs' : '/login', 302));
  app.route('/', authPages(deps));
  app.route('/', accountPages(deps));
  app.route('/lang', langRoutes());

  for (const path of ['/kbs', '/kbs/*', '/documents/*', '/chat/*', '/notes/*', '/account/*'])
    app.use(path, requireLogin);
  app.route('/kbs', kbPages(deps));
  app.route('/account/api-keys', apiKeyPages(deps));
  app.route('/', notePages(deps));
  app.route('/', memberPages(deps));
  app.route('/', chatPages(deps));
  app.route('/', documentPages(deps));
  app.route('/', searchPages(deps));

  app.use('/admin', requireAdminRole);
  app.use('/admin/*', requireAdminRole);
  app.get('/admin', (c) => c.redirect('/admin/users', 302));
  app.route('/admin/users', adminUserPages(deps));
  app.route('/admin/invitations', adminInvitationPages(deps));
  app.route('/admin/audit', adminAuditPages(deps));
  app.route('/admin/jobs', adminJobPages(deps));
  app.route('/admin', adminHealthPages(deps));
  app.route('/admin/backups', adminBackupPages(deps));

  return app;
}
