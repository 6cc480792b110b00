import { randomUUID } from 'node:crypto';
import { and, eq, isNull } from 'drizzle-orm';
import { recordAudit } from '../audit/index.ts';
import { type Db, tables, writeTransaction } from '../db/index.ts';
import { AppError, notFound } from '../errors.ts';
import { hashPassword } from './passwords.ts';
import { hashSecret, looksLikeSecret, newSecret } from './tokens.ts';
import { findUser, replacePassword } from './users.ts';

const { passwordResets } = tables;

/** How long a reset link works. */
export const RESET_LINK_HOURS = 24;

/**
 * An admin makes a one-time reset link for a user; it replaces any earlier unused link of
 * theirs. Returns the token for the link (only its hash is stored).
 */
export function createResetLink(db: Db, actorId: string, userId: string): { token: string; expiresAt: number } {
  const user = findUser(db, userId);
  if (!user) throw notFound('User');
  const token = newSecret();
  const expiresAt = Date.now() + RESET_LINK_HOURS * 3_600_000;
  writeTransaction(db, () => {
    db.orm
      .delete(passwordResets)
      .where(and(eq(passwordResets.userId, userId), isNull(passwordResets.usedAt)))
      .run();
    db.orm
      .insert(passwordResets)
      .values({ id: randomUUID(), userId, tokenHash: hashSecret(token), createdBy: actorId, expiresAt })
      .run();
    recordAudit(db, {
      actorId,
      action: 'user.reset_link_created',
      targetType: 'user',
      targetId: userId,
      detail: { email: user.email, expiresAt },
    });
  });
  return { token, expiresAt };
}

function usableReset(db: Db, token: string) {
  if (!looksLikeSecret(token)) return undefined;
  const row = db.orm
    .select()
    .from(passwordResets)
    .where(eq(passwordResets.tokenHash, hashSecret(token)))
    .get();
  return row && !row.usedAt && row.expiresAt > Date.now() ? row : undefined;
}

/** True while a reset link can still be used, so its page can say so before anyone types a password. */
export const isResetLinkUsable = (db: Db, token: string): boolean => usableReset(db, token) !== undefined;

const invalid = () => new AppError('reset_link_invalid', 'This reset link is not valid: used, expired or replaced');

/** Sets a new password with a reset link, once; every session and token of the user stops working. */
export async function resetPassword(db: Db, token: string, newPassword: string): Promise<void> {
  const found = usableReset(db, token);
  if (!found) throw invalid();
  const passwordHash = await hashPassword(newPassword);
  writeTransaction(db, () => {
    const used = db.orm
      .update(passwordResets)
      .set({ usedAt: Date.now() })
      .where(and(eq(passwordResets.id, found.id), isNull(passwordResets.usedAt)))
      .returning({ userId: passwordResets.userId })
      .get();
    if (!used) throw invalid();
    replacePassword(db, used.userId, passwordHash, null);
    recordAudit(db, { actorId: null, action: 'user.password_reset', targetType: 'user', targetId: used.userId });
  });
}
