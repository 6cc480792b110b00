import { Hono } from 'hono';
import { z } from 'zod';
import { resetPassword } from '../../core/auth/password-resets.ts';
import { authenticate, changePassword, registerUser } from '../../core/auth/users.ts';
import type { Deps } from '../../core/deps.ts';
import { endSession, issueSession, requireSession, requireUser, setSessionCookie } from '../../http/auth.ts';
import { clientIp } from '../../http/client-ip.ts';
import type { AppEnv } from '../../http/env.ts';
import { RateLimiter } from '../../http/rate-limit.ts';
import { validate } from '../../http/validate.ts';

const email = z.email('must be a valid email address').max(254);
const newPassword = z.string().min(8, 'must be at least 8 characters').max(256);
const registerBody = z.strictObject({
  email,
  password: newPassword,
  name: z.string().trim().max(100).optional(),
  invitation: z.string().max(200).optional(),
});
const loginBody = z.strictObject({ email: z.string().max(254), password: z.string().max(256) });
const passwordBody = z.strictObject({ currentPassword: z.string().max(256), newPassword });
const resetBody = z.strictObject({ token: z.string().max(200), newPassword });

/** Register, log in, log out, who am I, change the password, reset it with an admin's link. */
export function authRoutes(deps: Deps) {
  const perIp = new RateLimiter(30, 5 * 60_000);
  const perAccount = new RateLimiter(10, 5 * 60_000);
  const registrations = new RateLimiter(20, 60 * 60_000);
  const ip = (c: Parameters<typeof clientIp>[0]) => clientIp(c, deps.config.TRUST_PROXY);

  return new Hono<AppEnv>()
    .post('/register', validate('json', registerBody), async (c) => {
      registrations.hit(ip(c));
      const user = await registerUser(deps.db, c.req.valid('json'), deps.config.SIGNUP);
      const token = await issueSession(deps, user);
      setSessionCookie(c, token);
      c.get('logger').info({ userId: user.id }, 'user registered');
      return c.json({ user, token }, 201);
    })
    .post('/login', validate('json', loginBody), async (c) => {
      const body = c.req.valid('json');
      const account = body.email.trim().toLowerCase();
      perIp.hit(ip(c));
      perAccount.hit(account);
      const user = await authenticate(deps.db, body.email, body.password, { ip: ip(c) });
      perAccount.reset(account);
      const token = await issueSession(deps, user);
      setSessionCookie(c, token);
      return c.json({ user, token });
    })
    .post('/logout', async (c) => {
      await endSession(c, deps);
      return c.body(null, 204);
    })
    .get('/me', requireUser, (c) => c.json({ user: c.get('user') }))
    .post('/password', requireUser, requireSession, validate('json', passwordBody), async (c) => {
      const user = c.get('user');
      // Guessing the current password from a stolen session meets the same budget as logging in.
      perAccount.hit(user.email);
      await changePassword(deps.db, user.id, c.req.valid('json'), c.get('tokenId'));
      perAccount.reset(user.email);
      c.get('logger').info({ userId: user.id }, 'password changed; other sessions ended');
      return c.body(null, 204);
    })
    .post('/reset', validate('json', resetBody), async (c) => {
      perIp.hit(ip(c));
      const { token, newPassword } = c.req.valid('json');
      await resetPassword(deps.db, token, newPassword);
      return c.body(null, 204);
    });
}
