import { Hono } from 'hono';
import { listUsers, updateUser } from '../../../core/auth/users.ts';
import type { Deps } from '../../../core/deps.ts';
import { AppError } from '../../../core/errors.ts';
import type { AdminContext, AdminEnv } from '../../env.ts';
import { AdminHeader } from '../../views/admin-nav.tsx';
import { ActionButton } from '../../views/form.tsx';
import { formatTime } from '../../views/kb-nav.tsx';
import { page } from '../../views/render.tsx';

function UsersTable({ c, deps }: { c: AdminContext; deps: Deps }) {
  const t = c.get('t');
  const me = c.get('user').id;
  return (
    <div class="table-wrap" id="users-table">
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

/** Accounts: promote or demote, disable or enable; an admin cannot lock themself out. */
export function adminUserPages(deps: Deps) {
  return new Hono<AdminEnv>()
    .get('/', (c) =>
      page(
        c,
        c.get('t').adminUsers,
        <>
          <AdminHeader t={c.get('t')} tab="users" />
          <UsersTable c={c} deps={deps} />
        </>,
      ),
    )
    .post('/:id', async (c) => {
      const id = c.req.param('id');
      if (id === c.get('user').id) throw new AppError('forbidden', 'You cannot change your own account here', 403);
      const body = await c.req.parseBody();
      const patch: { role?: 'user' | 'admin'; disabled?: boolean } = {};
      if (body.role === 'user' || body.role === 'admin') patch.role = body.role;
      if (body.disabled === 'true' || body.disabled === 'false') patch.disabled = body.disabled === 'true';
      if (Object.keys(patch).length === 0) throw new AppError('bad_request', 'Nothing to change', 400);
      updateUser(deps.db, c.get('user').id, id, patch);
      c.get('logger').info({ userId: id, ...patch }, 'account changed by admin');
      if (c.req.header('hx-request') === 'true') return c.html(<UsersTable c={c} deps={deps} />);
      return c.redirect('/admin/users', 303);
    });
}
