import { Hono } from 'hono';
import { z } from 'zod';
import { createResetLink, RESET_LINK_HOURS } from '../../../core/auth/password-resets.ts';
import { findUser, listUsers, updateUser } from '../../../core/auth/users.ts';
import type { Deps } from '../../../core/deps.ts';
import { AppError } from '../../../core/errors.ts';
import { publicBase, resetLink } from '../../../http/public-url.ts';
import type { AdminContext, AdminEnv } from '../../env.ts';
import { readFields } from '../../forms.ts';
import { fmt } from '../../i18n/index.ts';
import { AdminHeader } from '../../views/admin-nav.tsx';
import { ActionButton } from '../../views/form.tsx';
import { formatTime } from '../../views/kb-nav.tsx';
import { fragmentOrPage, page } from '../../views/render.tsx';

const changeSchema = z.object({
  role: z.enum(['user', 'admin']).optional(),
  disabled: z
    .enum(['true', 'false'])
    .transform((v) => v === 'true')
    .optional(),
});

function UsersTable({ c, deps, reset }: { c: AdminContext; deps: Deps; reset?: { email: string; url: string } }) {
  const t = c.get('t');
  const me = c.get('user').id;
  return (
    <div class="table-wrap stack" id="users-table">
      {reset && (
        <div class="alert alert-success" role="status">
          <p>{fmt(t.resetLinkFor, { email: reset.email, hours: RESET_LINK_HOURS })}</p>
          <code class="secret-link" id="reset-link">
            {reset.url}
          </code>
        </div>
      )}
      <table>
        <thead>
          <tr>
            <th scope="col">{t.email}</th>
            <th scope="col">{t.role}</th>
            <th scope="col">{t.state}</th>
            <th scope="col">{t.created}</th>
            <th scope="col">{t.docActions}</th>
          </tr>
        </thead>
        <tbody>
          {listUsers(deps.db).map((u) => (
            <tr>
              <td>
                {u.email} {u.id === me && <span class="muted">{t.you}</span>}
              </td>
              <td>{u.role === 'admin' ? t.roleAdmin : t.roleUser}</td>
              <td>
                <span class={u.disabled ? 'badge badge-failed' : 'badge badge-completed'}>
                  {u.disabled ? t.disabled : t.active}
                </span>
              </td>
              <td>{formatTime(u.createdAt, c.get('locale'))}</td>
              <td class="actions">
                {u.id !== me && (
                  <>
                    <ActionButton
                      action={`/admin/users/${u.id}`}
                      fields={{ role: u.role === 'admin' ? 'user' : 'admin' }}
                      label={u.role === 'admin' ? t.makeUser : t.makeAdmin}
                      target="#users-table"
                    />
                    <ActionButton
                      action={`/admin/users/${u.id}`}
                      fields={{ disabled: u.disabled ? 'false' : 'true' }}
                      label={u.disabled ? t.enable : t.disable}
                      variant={u.disabled ? 'secondary' : 'danger'}
                      target="#users-table"
                    />
                    <ActionButton
                      action={`/admin/users/${u.id}/reset-link`}
                      label={t.resetLinkCreate}
                      target="#users-table"
                    />
                  </>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** Accounts: promote or demote, disable or enable, a one-time password reset link; an admin cannot lock themself out. */
export function adminUserPages(deps: Deps) {
  const usersPage = (c: AdminContext, reset?: { email: string; url: string }, status: 200 | 201 = 200) =>
    page(
      c,
      c.get('t').adminUsers,
      <>
        <AdminHeader t={c.get('t')} tab="users" />
        <UsersTable c={c} deps={deps} reset={reset} />
      </>,
      status,
    );
  return new Hono<AdminEnv>()
    .get('/', (c) => usersPage(c))
    .post('/:id/reset-link', (c) => {
      const id = c.req.param('id');
      const { token } = createResetLink(deps.db, c.get('user').id, id);
      const reset = { email: findUser(deps.db, id)?.email ?? id, url: resetLink(publicBase(c, deps.config), token) };
      return fragmentOrPage(c, <UsersTable c={c} deps={deps} reset={reset} />, () => usersPage(c, reset, 201), 201);
    })
    .post('/:id', async (c) => {
      const id = c.req.param('id');
      if (id === c.get('user').id) throw new AppError('forbidden', 'You cannot change your own account here');
      const { role, disabled } = await readFields(c, changeSchema);
      const patch = { ...(role && { role }), ...(disabled !== undefined && { disabled }) };
      if (Object.keys(patch).length === 0) throw new AppError('bad_request', 'Nothing to change');
      updateUser(deps.db, c.get('user').id, id, patch);
      c.get('logger').info({ userId: id, ...patch }, 'account changed by admin');
      return fragmentOrPage(c, <UsersTable c={c} deps={deps} />, () => c.redirect('/admin/users', 303));
    });
}
