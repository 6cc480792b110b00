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
import type { AppEnv } from '../../http/env.ts';
import { invitationLink, publicBase } from '../../http/public-url.ts';
import { validate } from '../../http/validate.ts';

const invitationBody = z.strictObject({
  email: z.email('must be a valid email address').max(254).optional(),
  role: z.enum(['user', 'admin']).optional(),
  expiresInDays: z.number().int().min(1).max(MAX_INVITATION_DAYS).default(DEFAULT_INVITATION_DAYS),
});

/** Invitations (admins only): create (the link is shown once), list, withdraw. */
export function invitationRoutes(deps: Deps) {
  return new Hono<AppEnv>()
    .post('/', validate('json', invitationBody), (c) => {
      const { invitation, token } = createInvitation(
        deps.db,
        c.get('user').id,
        c.req.valid('json'),
        deps.config.SIGNUP,
      );
      return c.json({ invitation, url: invitationLink(publicBase(c, deps.config), token) }, 201);
    })
    .get('/', (c) => c.json({ items: listInvitations(deps.db) }))
    .delete('/:id', (c) => {
      revokeInvitation(deps.db, c.get('user').id, c.req.param('id'));
      return c.body(null, 204);
    });
}
