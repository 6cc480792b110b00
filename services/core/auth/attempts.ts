import { eq, lte, sql } from 'drizzle-orm';
import type { SignupPolicy } from '../config.ts';
import { type Db, tables, writeTransaction } from '../db/index.ts';
import { AppError } from '../errors.ts';
import { resetPassword } from './password-resets.ts';
import {
  authenticate,
  changePassword,
  normaliseEmail,
  type PublicUser,
  type Registration,
  registerUser,
} from './users.ts';

const { authAttempts } = tables;

/** At most `max` attempts per `windowMs` for one key. */
export interface Budget {
  max: number;
  windowMs: number;
}

/** The budgets of sign-in, sign-up and member lookups, the same whichever door (API or console) is used. */
export const budgets = {
  loginPerAccount: { max: 10, windowMs: 5 * 60_000 },
  loginPerAddress: { max: 30, windowMs: 5 * 60_000 },
  signupPerAddress: { max: 20, windowMs: 60 * 60_000 },
  memberLookupsPerUser: { max: 60, windowMs: 10 * 60_000 },
} satisfies Record<string, Budget>;

/**
 * Counts one attempt for `key` in SQLite, so every process sharing the database shares the
 * budget; throws 429 with `retryAfter` (seconds) once over `budget.max`.
 */
export function spendAttempt(db: Db, key: string, budget: Budget, now = Date.now()): void {
  const row = writeTransaction(db, () => {
    db.orm.delete(authAttempts).where(lte(authAttempts.resetAt, now)).run();
    return db.orm
      .insert(authAttempts)
      .values({ key, count: 1, resetAt: now + budget.windowMs })
      .onConflictDoUpdate({ target: authAttempts.key, set: { count: sql`${authAttempts.count} + 1` } })
      .returning()
      .get();
  });
  if (row.count > budget.max) {
    const retryAfter = Math.max(1, Math.ceil((row.resetAt - now) / 1000));
    throw new AppError('rate_limited', `Too many attempts; try again in ${retryAfter} s`, { retryAfter });
  }
}

/** Forgets the attempts counted for `key` (a successful sign-in clears its account's count). */
export function clearAttempts(db: Db, key: string): void {
  db.orm.delete(authAttempts).where(eq(authAttempts.key, key)).run();
}

const accountKey = (email: string) => `login:account:${normaliseEmail(email)}`;
const addressKey = (address: string) => `login:address:${address}`;

/**
 * A sign-in attempt from `address`: charged to the address's and the account's budgets before
 * the password is checked; success clears the account's count. Both doors call this.
 */
export async function attemptLogin(
  db: Db,
  input: { email: string; password: string; address: string },
): Promise<PublicUser> {
  spendAttempt(db, addressKey(input.address), budgets.loginPerAddress);
  spendAttempt(db, accountKey(input.email), budgets.loginPerAccount);
  const user = await authenticate(db, input.email, input.password, { ip: input.address });
  clearAttempts(db, accountKey(input.email));
  return user;
}

/** A sign-up from `address` under `policy`, charged to the address's budget of registrations. */
export async function attemptRegistration(
  db: Db,
  input: Registration & { address: string },
  policy: SignupPolicy,
): Promise<PublicUser> {
  const { address, ...registration } = input;
  spendAttempt(db, `signup:address:${address}`, budgets.signupPerAddress);
  return registerUser(db, registration, policy);
}

/**
 * A password change from a signed-in session: guessing the current password meets the
 * account's sign-in budget; success clears it.
 */
export async function attemptPasswordChange(
  db: Db,
  user: Pick<PublicUser, 'id' | 'email'>,
  input: { currentPassword: string; newPassword: string },
  currentTokenId: string | null,
): Promise<void> {
  spendAttempt(db, accountKey(user.email), budgets.loginPerAccount);
  await changePassword(db, user.id, input, currentTokenId);
  clearAttempts(db, accountKey(user.email));
}

/** A password reset with a link's token, charged to the address's sign-in budget. */
export async function attemptPasswordReset(
  db: Db,
  input: { token: string; newPassword: string; address: string },
): Promise<void> {
  spendAttempt(db, addressKey(input.address), budgets.loginPerAddress);
  await resetPassword(db, input.token, input.newPassword);
}

/** Adding members looks accounts up by email: a budget per owner keeps that from becoming a directory. */
export function spendMemberLookup(db: Db, userId: string): void {
  spendAttempt(db, `members:lookup:${userId}`, budgets.memberLookupsPerUser);
}
