import { Hono } from 'hono';
import { z } from 'zod';
import { listAudit } from '../../core/audit/index.ts';
import { createResetLink } from '../../core/auth/password-resets.ts';
import { listUsers, updateUser } from '../../core/auth/users.ts';
import type { Deps } from '../../core/deps.ts';
import type { AppEnv } from '../../http/env.ts';
import { publicBase, resetLink } from '../../http/public-url.ts';
import { validate } from '../../http/validate.ts';

const userPatch = z
  .strictObject({ role: z.enum(['user', 'admin']).optional(), disabled: z.boolean().optional() })
  .refine((b) => Object.keys(b).length > 0, 'nothing to update');
const auditQuery = z.object({
  limit: z.coerce.number().int().min(1).max(500).default(100),
  before: z.coerce.number().int().min(1).optional(),
});

/** Administration (admins only): users with role and state, reset links, the audit list. */
export function adminRoutes(deps: Deps) {
  return new Hono<AppEnv>()
    .get('/users', (c) => c.json({ items: listUsers(deps.db) }))
    .patch('/users/:id', validate('json', userPatch), (c) => {
      const user = updateUser(deps.db, c.get('user').id, c.req.param('id'), c.req.valid('json'));
      c.get('logger').info({ userId: user.id, role: user.role, disabled: user.disabled }, 'account changed by admin');
      return c.json({ user });
    })
    .post('/users/:id/reset-link', (c) => {
      const { token, expiresAt } = createResetLink(deps.db, c.get('user').id, c.req.param('id'));
      return c.json({ url: resetLink(publicBase(c, deps.config), token), expiresAt }, 201);
    })
    .get('/audit', validate('query', auditQuery), (c) => c.json({ items: listAudit(deps.db, c.req.valid('query')) }));
}
