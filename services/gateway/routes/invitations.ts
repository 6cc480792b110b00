import { Hono } from 'hono';
import { z } from 'zod';
import {
  createInvitation,
  DEFAULT_INVITATION_DAYS,
  listInvitations,
  MAX_INVITATION_DAYS,
  revokeInvitation,
} from '../../core/auth/invitations.ts';
import type { Deps } from '../../core/deps.ts';
import { AppError } from '../../core/errors.ts';
import type { AppEnv } from '../../http/env.ts';
import { publicBase } from '../../http/public-url.ts';
import { validate } from '../../http/validate.ts';

export const invitationBody = z.strictObject({
  email: z.email('must be a valid email address').max(254).optional(),
  role: z.enum(['user', 'admin']).optional(),
  expiresInDays: z.number().int().min(1).max(MAX_INVITATION_DAYS).default(DEFAULT_INVITATION_DAYS),
});

/** The sign-up link of an invitation, on the console's sign-up page. */
export const invitationUrl = (base: string, token: string) => `${base}/signup?invitation=${token}`;

/** Invitations (admins only): create (the link is shown once), list, withdraw. */
export function invitationRoutes(deps: Deps) {
  return new Hono<AppEnv>()
    .post('/', validate('json', invitationBody), (c) => {
      if (deps.config.SIGNUP === 'closed') {
        throw new AppError('signup_closed', 'Sign-up is closed (SIGNUP=closed): an invitation could not be used', 403);
      }
      const { invitation, token } = createInvitation(deps.db, c.get('user').id, c.req.valid('json'));
      return c.json({ invitation, url: invitationUrl(publicBase(c, deps.config), token) }, 201);
    })
    .get('/', (c) => c.json({ items: listInvitations(deps.db) }))
    .delete('/:id', (c) => {
      revokeInvitation(deps.db, c.get('user').id, c.req.param('id'));
      return c.body(null, 204);
    });
}
