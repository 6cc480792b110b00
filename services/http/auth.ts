import type { Context, MiddlewareHandler } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { sign, verify } from 'hono/jwt';
import { isRestrictedKey } from '../core/access/index.ts';
import { userForApiKey } from '../core/auth/api-keys.ts';
import { isTokenRevoked, newTokenId, revokeToken } from '../core/auth/sessions.ts';
import { type PublicUser, sessionUser } from '../core/auth/users.ts';
import type { Config } from '../core/config.ts';
import type { Db } from '../core/db/index.ts';
import { AppError } from '../core/errors.ts';
import type { AppEnv } from './env.ts';
import { requestOrigin } from './forwarded.ts';

export const SESSION_COOKIE = 'cos_session';
const TOKEN_TTL_S = 7 * 24 * 3600;

export interface AuthDeps {
  db: Db;
  jwtSecret: string;
  config: Pick<Config, 'TRUST_PROXY'>;
}

/**
 * A signed session token for the user, of the account's current token generation (`gen`):
 * a password change or reset moves the account to the next one and older tokens stop working.
 */
export function issueToken(secret: string, user: PublicUser, generation: number): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  return sign(
    { sub: user.id, role: user.role, jti: newTokenId(), gen: generation, iat: now, exp: now + TOKEN_TTL_S },
    secret,
    'HS256',
  );
}

/** A session token for a user just authenticated or registered. */
export function issueSession(deps: AuthDeps, user: PublicUser): Promise<string> {
  return issueToken(deps.jwtSecret, user, sessionUser(deps.db, user.id)?.generation ?? 0);
}

const isHttps = (c: Context, deps: AuthDeps) => requestOrigin(c, deps.config.TRUST_PROXY).protocol === 'https';

/** Signs the user in: a fresh session token, also set as the httpOnly cookie (`Secure` over HTTPS). */
export async function startSession(c: Context, deps: AuthDeps, user: PublicUser): Promise<string> {
  const token = await issueSession(deps, user);
  setCookie(c, SESSION_COOKIE, token, {
    httpOnly: true,
    sameSite: 'Lax',
    secure: isHttps(c, deps),
    path: '/',
    maxAge: TOKEN_TTL_S,
  });
  return token;
}

async function verifiedClaims(deps: AuthDeps, token: string) {
  try {
    const payload = await verify(token, deps.jwtSecret, 'HS256');
    if (typeof payload.sub !== 'string' || typeof payload.jti !== 'string' || typeof payload.exp !== 'number') {
      return undefined;
    }
    if (isTokenRevoked(deps.db, payload.jti)) return undefined;
    // Tokens issued before generations existed count as generation 0.
    const gen = typeof payload.gen === 'number' ? payload.gen : 0;
    return { sub: payload.sub, jti: payload.jti, exp: payload.exp, gen };
  } catch {
    return undefined;
  }
}

/** The enabled user of a token that verifies and belongs to the account's current generation (or is the one kept). */
async function sessionFromJwt(deps: AuthDeps, token: string): Promise<{ user: PublicUser; jti: string } | undefined> {
  const claims = await verifiedClaims(deps, token);
  const found = claims && sessionUser(deps.db, claims.sub);
  if (!claims || !found || found.user.disabled) return undefined;
  if (claims.gen !== found.generation && claims.jti !== found.keptTokenId) return undefined;
  return { user: found.user, jti: claims.jti };
}

function presentedToken(c: Context): string | undefined {
  const header = c.req.header('authorization');
  if (header?.toLowerCase().startsWith('bearer ')) return header.slice(7).trim();
  return getCookie(c, SESSION_COOKIE);
}

/** Logout: revokes the session token the request carries (cookie or Bearer JWT) and clears the cookie. */
export async function endSession(c: Context, deps: AuthDeps): Promise<void> {
  const token = presentedToken(c);
  const claims = token ? await verifiedClaims(deps, token) : undefined;
  if (claims) revokeToken(deps.db, claims.jti, claims.exp);
  deleteCookie(c, SESSION_COOKIE, { path: '/', secure: isHttps(c, deps) });
}

/**
 * Resolves the caller from `Authorization: Bearer <jwt or API key>` or the session cookie
 * and sets `user`; leaves it unset for anonymous requests. A Bearer token that does not
 * verify is remembered, so `requireUser` can say so, while public routes (login) still work.
 */
export function identify(deps: AuthDeps): MiddlewareHandler<AppEnv> {
  return async function identify(c, next) {
    const header = c.req.header('authorization');
    const bearer = header?.toLowerCase().startsWith('bearer ') ? header.slice(7).trim() : undefined;
    const byKey = bearer ? userForApiKey(deps.db, bearer) : undefined;
    if (byKey) {
      c.set('user', byKey.user);
      c.set('principal', { userId: byKey.user.id, key: byKey.scope });
      c.set('authMethod', 'api_key');
      return next();
    }
    const token = bearer ?? getCookie(c, SESSION_COOKIE);
    const session = token ? await sessionFromJwt(deps, token) : undefined;
    if (session) {
      c.set('user', session.user);
      c.set('principal', { userId: session.user.id });
      c.set('authMethod', bearer ? 'jwt' : 'cookie');
      c.set('tokenId', session.jti);
    } else if (bearer !== undefined) {
      c.set('authFailure', 'Invalid or revoked token');
    }
    await next();
  };
}

/** Refuses anonymous requests with 401. Use after `identify`. */
export const requireUser: MiddlewareHandler<AppEnv> = async function requireUser(c, next) {
  if (!c.get('user')) throw new AppError('unauthenticated', c.get('authFailure') ?? 'Sign in first');
  await next();
};

/** Refuses API keys (403): changing a password needs the person's own session. Use after `requireUser`. */
export const requireSession: MiddlewareHandler<AppEnv> = async function requireSession(c, next) {
  if (c.get('authMethod') === 'api_key') throw new AppError('forbidden', 'Sign in with a password for this');
  await next();
};

/** Administrators only (403 otherwise), and never through a limited API key. Use after `requireUser`. */
export const requireAdmin: MiddlewareHandler<AppEnv> = async function requireAdmin(c, next) {
  if (c.get('user').role !== 'admin') throw new AppError('forbidden', 'Administrators only');
  if (isRestrictedKey(c.get('principal'))) throw new AppError('forbidden', 'A limited API key cannot do this');
  await next();
};
