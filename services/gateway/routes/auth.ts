import { Hono } from 'hono';
import { z } from 'zod';
import { authenticate, registerUser } from '../../core/auth/users.ts';
import type { Deps } from '../../core/deps.ts';
import { endSession, issueToken, requireUser, setSessionCookie } from '../../http/auth.ts';
import { clientIp } from '../../http/client-ip.ts';
import type { AppEnv } from '../../http/env.ts';
import { RateLimiter } from '../../http/rate-limit.ts';
import { validate } from '../../http/validate.ts';

const email = z.email('must be a valid email address').max(254);
const registerBody = z.strictObject({
  email,
  password: z.string().min(8, 'must be at least 8 characters').max(256),
  name: z.string().trim().max(100).optional(),
});
const loginBody = z.strictObject({ email: z.string().max(254), password: z.string().max(256) });

/** Register, log in, log out, who am I. */
export function authRoutes(deps: Deps) {
  const perIp = new RateLimiter(30, 5 * 60_000);
  const perAccount = new RateLimiter(10, 5 * 60_000);
  const registrations = new RateLimiter(20, 60 * 60_000);

  return new Hono<AppEnv>()
    .post('/register', validate('json', registerBody), async (c) => {
      registrations.hit(clientIp(c, deps.config.TRUST_PROXY));
      const user = await registerUser(deps.db, c.req.valid('json'));
      const token = await issueToken(deps.jwtSecret, user);
      setSessionCookie(c, token);
      c.get('logger').info({ userId: user.id }, 'user registered');
      return c.json({ user, token }, 201);
    })
    .post('/login', validate('json', loginBody), async (c) => {
      const body = c.req.valid('json');
      const account = body.email.trim().toLowerCase();
      perIp.hit(clientIp(c, deps.config.TRUST_PROXY));
      perAccount.hit(account);
      const user = await authenticate(deps.db, body.email, body.password);
      perAccount.reset(account);
      const token = await issueToken(deps.jwtSecret, user);
      setSessionCookie(c, token);
      return c.json({ user, token });
    })
    .post('/logout', async (c) => {
      await endSession(c, deps);
      return c.body(null, 204);
    })
    .get('/me', requireUser, (c) => c.json({ user: c.get('user') }));
}
