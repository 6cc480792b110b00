import type { MiddlewareHandler } from 'hono';
import { getCookie } from 'hono/cookie';
import { AppError } from '../core/errors.ts';
import { SESSION_COOKIE } from './auth.ts';
import type { AppEnv } from './env.ts';

const SAFE = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Refuses unsafe requests from another origin that carry the session cookie or come from a
 * browser (login CSRF). Bearer-authenticated requests are not exposed to CSRF and pass. The
 * origin is taken from `Origin`, else `Referer`; a browser that sends neither is judged by
 * `Sec-Fetch-Site`.
 */
export function csrfGuard(opts: { publicUrl?: string } = {}): MiddlewareHandler<AppEnv> {
  const allowed = opts.publicUrl ? new URL(opts.publicUrl).host : undefined;
  return async function csrfGuard(c, next) {
    const bearer = c.req.header('authorization')?.toLowerCase().startsWith('bearer ');
    if (SAFE.has(c.req.method) || bearer) return next();
    const source = c.req.header('origin') ?? c.req.header('referer');
    // Without the cookie only a browser's request is judged (it names its origin): a login or
    // sign-up forged from another site would otherwise sign the victim in to the forger's account.
    if (!getCookie(c, SESSION_COOKIE) && !source && !c.req.header('sec-fetch-site')) return next();
    let sameOrigin: boolean;
    if (source && source !== 'null') {
      let host: string | undefined;
      try {
        host = new URL(source).host;
      } catch {
        host = undefined;
      }
      const own = c.req.header('x-forwarded-host') ?? c.req.header('host') ?? new URL(c.req.url).host;
      sameOrigin = host !== undefined && (host === own || host === allowed);
    } else {
      const site = c.req.header('sec-fetch-site');
      sameOrigin = source !== 'null' && (site === undefined || site === 'same-origin' || site === 'none');
    }
    if (!sameOrigin) throw new AppError('csrf_rejected', 'Cross-origin request refused', 403);
    return next();
  };
}
