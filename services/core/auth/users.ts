import { randomUUID } from 'node:crypto';
import { count, eq } from 'drizzle-orm';
import { type Db, tables, writeTransaction } from '../db/index.ts';
import { AppError } from '../errors.ts';
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

/** Creates an account; the first account of an installation becomes admin. */
export async function registerUser(
  db: Db,
  input: { email: string; password: string; name?: string },
): Promise<PublicUser> {
  const email = normaliseEmail(input.email);
  const passwordHash = await hashPassword(input.password);
  return writeTransaction(db, () => {
    if (db.orm.select({ id: users.id }).from(users).where(eq(users.email, email)).get()) {
      throw new AppError('email_taken', 'An account with this email already exists', 409);
    }
    const total = db.orm.select({ n: count() }).from(users).get()?.n ?? 0;
    const row = db.orm
      .insert(users)
      .values({
        id: randomUUID(),
        email,
        name: input.name?.trim() ?? '',
        passwordHash,
        role: total === 0 ? 'admin' : 'user',
      })
      .returning()
      .get();
    return toPublicUser(row);
  });
}

/** Checks credentials; the same error for an unknown email and a wrong password. */
export async function authenticate(db: Db, emailInput: string, password: string): Promise<PublicUser> {
  const row = db.orm
    .select()
    .from(users)
    .where(eq(users.email, normaliseEmail(emailInput)))
    .get();
  const ok = await verifyPassword(row?.passwordHash ?? (await dummyPasswordHash()), password);
  if (!row || !ok) throw new AppError('invalid_credentials', 'Email or password is incorrect', 401);
  if (row.disabled) throw new AppError('account_disabled', 'This account is disabled', 403);
  return toPublicUser(row);
}

export function findUser(db: Db, id: string): PublicUser | undefined {
  const row = db.orm.select().from(users).where(eq(users.id, id)).get();
  return row ? toPublicUser(row) : undefined;
}

export function listUsers(db: Db): PublicUser[] {
  return db.orm.select().from(users).orderBy(users.createdAt).all().map(toPublicUser);
}

/** Admin actions on an account. */
export function updateUser(db: Db, id: string, patch: { role?: 'user' | 'admin'; disabled?: boolean }): PublicUser {
  const row = db.orm.update(users).set(patch).where(eq(users.id, id)).returning().get();
  if (!row) throw new AppError('not_found', 'User not found', 404);
  return toPublicUser(row);
}
