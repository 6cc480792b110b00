import { randomUUID } from 'node:crypto';
import { eq, sql } from 'drizzle-orm';
import { recordAudit } from '../audit/index.ts';
import type { SignupPolicy } from '../config.ts';
import { type Db, tables, writeTransaction } from '../db/index.ts';
import { AppError, forbidden, notFound } from '../errors.ts';
import { markInvitationUsed, usableInvitation } from './invitations.ts';
import { dummyPasswordHash, hashPassword, verifyPassword } from './passwords.ts';

const { users } = tables;

/** A user as every response shows it: never the password hash. */
export interface PublicUser {
  id: string;
  email: string;
  name: string;
  role: 'user' | 'admin';
  disabled: boolean;
  createdAt: number;
}

type UserRow = typeof users.$inferSelect;

export const toPublicUser = (u: UserRow): PublicUser => ({
  id: u.id,
  email: u.email,
  name: u.name,
  role: u.role,
  disabled: u.disabled,
  createdAt: u.createdAt,
});

export const normaliseEmail = (email: string) => email.trim().toLowerCase();

export interface Registration {
  email: string;
  password: string;
  name?: string;
  /** The token of an invitation link. */
  invitation?: string;
}

/**
 * Creates an account under the sign-up policy. The first account of an installation is
 * always allowed and becomes admin. Otherwise `closed` refuses everyone, `invite` everyone
 * without a valid invitation, and an invitation given under `open` must be valid too. The
 * invitation is checked before the email, so without one nothing tells whether an address
 * is registered; it is used up only when the account is created.
 */
export async function registerUser(db: Db, input: Registration, policy: SignupPolicy): Promise<PublicUser> {
  const email = normaliseEmail(input.email);
  const passwordHash = await hashPassword(input.password);
  return writeTransaction(db, () => {
    const first = !hasUsers(db);
    if (!first && policy === 'closed') throw new AppError('signup_closed', 'Sign-up is closed');
    if (!first && policy === 'invite' && !input.invitation) {
      throw new AppError('signup_closed', 'Sign-up needs an invitation from an administrator');
    }
    const invitation = !first && input.invitation ? usableInvitation(db, input.invitation, email) : undefined;
    if (db.orm.select({ id: users.id }).from(users).where(eq(users.email, email)).get()) {
      throw new AppError('email_taken', 'An account with this email already exists');
    }
    const row = db.orm
      .insert(users)
      .values({
        id: randomUUID(),
        email,
        name: input.name?.trim() ?? '',
        passwordHash,
        role: first ? 'admin' : (invitation?.role ?? 'user'),
      })
      .returning()
      .get();
    if (invitation) markInvitationUsed(db, invitation.id, row.id);
    recordAudit(db, {
      actorId: row.id,
      action: 'user.registered',
      targetType: 'user',
      targetId: row.id,
      detail: { email, role: row.role, ...(invitation && { invitationId: invitation.id }), ...(first && { first }) },
    });
    return toPublicUser(row);
  });
}

/**
 * Checks credentials; the same error for an unknown email and a wrong password, and the
 * same work (one argon2 verification) for both. Failures are audited.
 */
export async function authenticate(
  db: Db,
  emailInput: string,
  password: string,
  meta: { ip?: string } = {},
): Promise<PublicUser> {
  const email = normaliseEmail(emailInput);
  const row = db.orm.select().from(users).where(eq(users.email, email)).get();
  const ok = await verifyPassword(row?.passwordHash ?? (await dummyPasswordHash()), password);
  if (!row || !ok) {
    recordAudit(db, {
      actorId: null,
      action: 'user.login_failed',
      targetType: 'user',
      targetId: row?.id ?? null,
      detail: { email: email.slice(0, 254), ...(meta.ip && { ip: meta.ip }) },
    });
    throw new AppError('invalid_credentials', 'Email or password is incorrect');
  }
  if (row.disabled) throw new AppError('account_disabled', 'This account is disabled');
  return toPublicUser(row);
}

export function findUser(db: Db, id: string): PublicUser | undefined {
  const row = db.orm.select().from(users).where(eq(users.id, id)).get();
  return row ? toPublicUser(row) : undefined;
}

/** An account by email, for adding members; never answered to anyone but the caller who typed it. */
export function findUserByEmail(db: Db, email: string): PublicUser | undefined {
  const row = db.orm
    .select()
    .from(users)
    .where(eq(users.email, normaliseEmail(email)))
    .get();
  return row ? toPublicUser(row) : undefined;
}

/** A user with what decides whether a session token is still good. */
export function sessionUser(
  db: Db,
  id: string,
): { user: PublicUser; generation: number; keptTokenId: string | null } | undefined {
  const row = db.orm.select().from(users).where(eq(users.id, id)).get();
  return row ? { user: toPublicUser(row), generation: row.tokenGeneration, keptTokenId: row.keptTokenId } : undefined;
}

/** True once the installation has its first account (its administrator). */
export const hasUsers = (db: Db): boolean => db.orm.select({ id: users.id }).from(users).limit(1).get() !== undefined;

export function listUsers(db: Db): PublicUser[] {
  return db.orm.select().from(users).orderBy(users.createdAt).all().map(toPublicUser);
}

/**
 * An administrator changes another account's role or disables it (its sessions and keys stop
 * at once: every request looks the account up). Admins cannot change their own account here,
 * so an installation always keeps at least one enabled admin.
 */
export function updateUser(
  db: Db,
  actorId: string,
  id: string,
  patch: { role?: 'user' | 'admin'; disabled?: boolean },
): PublicUser {
  if (actorId === id) throw forbidden('You cannot change your own role or state');
  return writeTransaction(db, () => {
    const before = db.orm.select().from(users).where(eq(users.id, id)).get();
    if (!before) throw notFound('User');
    const row = db.orm.update(users).set(patch).where(eq(users.id, id)).returning().get();
    if (!row) throw notFound('User');
    const audit = (action: 'user.role_changed' | 'user.disabled' | 'user.enabled', detail: Record<string, unknown>) =>
      recordAudit(db, { actorId, action, targetType: 'user', targetId: id, detail: { email: row.email, ...detail } });
    if (patch.role !== undefined && patch.role !== before.role)
      audit('user.role_changed', { from: before.role, to: row.role });
    if (patch.disabled !== undefined && patch.disabled !== before.disabled) {
      audit(row.disabled ? 'user.disabled' : 'user.enabled', {});
    }
    return toPublicUser(row);
  });
}

/**
 * Sets a new password hash and ends every session token issued before, except `keepTokenId`
 * (the session that asked for the change), by moving the account to a new token generation.
 */
export function replacePassword(db: Db, userId: string, passwordHash: string, keepTokenId: string | null): void {
  const row = db.orm
    .update(users)
    .set({ passwordHash, tokenGeneration: sql`${users.tokenGeneration} + 1`, keptTokenId: keepTokenId })
    .where(eq(users.id, userId))
    .returning({ id: users.id })
    .get();
  if (!row) throw notFound('User');
}

/**
 * A signed-in user changes their password; the current one is required. Every other session
 * and token of theirs stops working; the one in `currentTokenId` goes on.
 */
export async function changePassword(
  db: Db,
  userId: string,
  input: { currentPassword: string; newPassword: string },
  currentTokenId: string | null,
): Promise<void> {
  const row = db.orm.select().from(users).where(eq(users.id, userId)).get();
  if (!row) throw notFound('User');
  if (!(await verifyPassword(row.passwordHash, input.currentPassword))) {
    throw new AppError('wrong_password', 'The current password is incorrect');
  }
  const passwordHash = await hashPassword(input.newPassword);
  writeTransaction(db, () => {
    replacePassword(db, userId, passwordHash, currentTokenId);
    recordAudit(db, { actorId: userId, action: 'user.password_changed', targetType: 'user', targetId: userId });
  });
}
