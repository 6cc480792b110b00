import { randomUUID } from 'node:crypto';
import { and, desc, eq, isNull } from 'drizzle-orm';
import { recordAudit } from '../audit/index.ts';
import type { SignupPolicy } from '../config.ts';
import { type Db, tables } from '../db/index.ts';
import { AppError, notFound } from '../errors.ts';
import { hashSecret, looksLikeSecret, newSecret } from './tokens.ts';

const { invitations } = tables;
const DAY_MS = 86_400_000;

export const DEFAULT_INVITATION_DAYS = 7;
export const MAX_INVITATION_DAYS = 30;

type InvitationRow = typeof invitations.$inferSelect;

/** An invitation as admins see it; the token itself is shown once, in the link made at creation. */
export interface Invitation {
  id: string;
  email: string | null;
  role: 'user' | 'admin';
  state: 'pending' | 'used' | 'expired';
  createdBy: string | null;
  createdAt: number;
  expiresAt: number;
  usedAt: number | null;
  usedBy: string | null;
}

export interface InvitationInput {
  email?: string;
  role?: 'user' | 'admin';
  expiresInDays?: number;
}

const toInvitation = (r: InvitationRow, now = Date.now()): Invitation => ({
  id: r.id,
  email: r.email,
  role: r.role,
  state: r.usedAt ? 'used' : r.expiresAt <= now ? 'expired' : 'pending',
  createdBy: r.createdBy,
  createdAt: r.createdAt,
  expiresAt: r.expiresAt,
  usedAt: r.usedAt,
  usedBy: r.usedBy,
});

/**
 * An admin invites someone: single use, expiring, optionally for one email address. Under
 * SIGNUP=closed an invitation could not be used, so none is made.
 */
export function createInvitation(
  db: Db,
  actorId: string,
  input: InvitationInput,
  policy: SignupPolicy,
): { invitation: Invitation; token: string } {
  if (policy === 'closed') {
    throw new AppError('signup_closed', 'Sign-up is closed (SIGNUP=closed): an invitation could not be used');
  }
  const token = newSecret();
  const row = db.orm
    .insert(invitations)
    .values({
      id: randomUUID(),
      tokenHash: hashSecret(token),
      email: input.email ? input.email.trim().toLowerCase() : null,
      role: input.role ?? 'user',
      createdBy: actorId,
      expiresAt: Date.now() + (input.expiresInDays ?? DEFAULT_INVITATION_DAYS) * DAY_MS,
    })
    .returning()
    .get();
  recordAudit(db, {
    actorId,
    action: 'invitation.created',
    targetType: 'invitation',
    targetId: row.id,
    detail: { email: row.email, role: row.role, expiresAt: row.expiresAt },
  });
  return { invitation: toInvitation(row), token };
}

export function listInvitations(db: Db): Invitation[] {
  const now = Date.now();
  return db.orm
    .select()
    .from(invitations)
    .orderBy(desc(invitations.createdAt))
    .all()
    .map((r) => toInvitation(r, now));
}

/** Withdraws an invitation; its link stops working. */
export function revokeInvitation(db: Db, actorId: string, id: string): void {
  const row = db.orm.delete(invitations).where(eq(invitations.id, id)).returning().get();
  if (!row) throw notFound('Invitation');
  recordAudit(db, {
    actorId,
    action: 'invitation.revoked',
    targetType: 'invitation',
    targetId: id,
    detail: { email: row.email, role: row.role },
  });
}

const invalid = () => new AppError('invitation_invalid', 'This invitation is not valid: used, expired or withdrawn');

/** The unused, unexpired invitation behind `token` that `email` may use; otherwise 403 `invitation_invalid`. */
export function usableInvitation(db: Db, token: string, email: string): Invitation {
  const row = pendingInvitation(db, token);
  if (!row) throw invalid();
  if (row.email && row.email !== email) {
    throw new AppError('invitation_invalid', 'This invitation is for another email address');
  }
  return row;
}

/** The invitation behind a link, while it can still be used; undefined otherwise. */
export function pendingInvitation(db: Db, token: string): Invitation | undefined {
  if (!looksLikeSecret(token)) return undefined;
  const row = db.orm
    .select()
    .from(invitations)
    .where(eq(invitations.tokenHash, hashSecret(token)))
    .get();
  const invitation = row && toInvitation(row);
  return invitation?.state === 'pending' ? invitation : undefined;
}

/** Uses the invitation up; call in the transaction that creates the account. */
export function markInvitationUsed(db: Db, id: string, userId: string): void {
  const row = db.orm
    .update(invitations)
    .set({ usedAt: Date.now(), usedBy: userId })
    .where(and(eq(invitations.id, id), isNull(invitations.usedAt)))
    .returning({ id: invitations.id })
    .get();
  if (!row) throw invalid();
}
