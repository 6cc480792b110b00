import { type Context, Hono } from 'hono';
import { z } from 'zod';
import {
  attemptLogin,
  attemptPasswordChange,
  attemptPasswordReset,
  attemptRegistration,
} from '../../core/auth/attempts.ts';
import type { Deps } from '../../core/deps.ts';
import { endSession, requireSession, requireUser, startSession } from '../../http/auth.ts';
import type { AppEnv } from '../../http/env.ts';
import { requestOrigin } from '../../http/forwarded.ts';
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
  const address = (c: Context) => requestOrigin(c, deps.config.TRUST_PROXY).clientIp;
  return new Hono<AppEnv>()
    .post('/register', validate('json', registerBody), async (c) => {
      const registration = { ...c.req.valid('json'), address: address(c) };
      const user = await attemptRegistration(deps.db, registration, deps.config.SIGNUP);
      const token = await startSession(c, deps, user);
      c.get('logger').info({ userId: user.id }, 'user registered');
      return c.json({ user, token }, 201);
    })
    .post('/login', validate('json', loginBody), async (c) => {
      const user = await attemptLogin(deps.db, { ...c.req.valid('json'), address: address(c) });
      return c.json({ user, token: await startSession(c, deps, user) });
    })
    .post('/logout', async (c) => {
      await endSession(c, deps);
      return c.body(null, 204);
    })
    .get('/me', requireUser, (c) => c.json({ user: c.get('user') }))
    .post('/password', requireUser, requireSession, validate('json', passwordBody), async (c) => {
      const user = c.get('user');
      await attemptPasswordChange(deps.db, user, c.req.valid('json'), c.get('tokenId'));
      c.get('logger').info({ userId: user.id }, 'password changed; other sessions ended');
      return c.body(null, 204);
    })
    .post('/reset', validate('json', resetBody), async (c) => {
      await attemptPasswordReset(deps.db, { ...c.req.valid('json'), address: address(c) });
      return c.body(null, 204);
    });
}
