import { Hono } from 'hono';
import { z } from 'zod';
import { type KbWithRole, kbAccess } from '../../core/access/index.ts';
import { addMember, listMembers, removeMember, updateMember } from '../../core/access/members.ts';
import { spendMemberLookup } from '../../core/auth/attempts.ts';
import type { Deps } from '../../core/deps.ts';
import { AppError } from '../../core/errors.ts';
import { statusOf } from '../../http/errors.ts';
import type { AdminContext, AdminEnv } from '../env.ts';
import { type FieldErrors, readFields, readForm } from '../forms.ts';
import type { MessageKey } from '../i18n/index.ts';
import { ActionButton, Field, FormError } from '../views/form.tsx';
import { KbHeader, RoleBadge, roleName } from '../views/kb-nav.tsx';
import { fragmentOrPage, page, redirectTo } from '../views/render.tsx';

const memberRoles = ['viewer', 'editor'] as const;
const addSchema = z.object({
  email: z.string().trim().min(1, 'vRequired').max(254, 'vTooLong'),
  role: z.enum(memberRoles),
});
const roleSchema = z.object({ role: z.enum(memberRoles) });

/** How a refused add reads on the form. */
const addErrors: Partial<Record<string, [string, MessageKey]>> = {
  not_found: ['email', 'memberNoAccount'],
  conflict: ['email', 'memberExists'],
  rate_limited: ['_form', 'errRateLimited'],
};

function RoleSelect({ c, name, value, id }: { c: AdminContext; name: string; value: string; id: string }) {
  const t = c.get('t');
  return (
    <select name={name} id={id}>
      {memberRoles.map((r) => (
        <option value={r} selected={r === value}>
          {roleName(t, r)}
        </option>
      ))}
    </select>
  );
}

/** The members of a KB; its owner adds, re-roles and removes them, anyone else may leave. */
function MembersPanel(p: {
  c: AdminContext;
  deps: Deps;
  kb: KbWithRole;
  values?: Record<string, string>;
  errors?: FieldErrors;
}) {
  const { c, kb } = p;
  const t = c.get('t');
  const me = c.get('user').id;
  const owner = kb.role === 'owner';
  const members = listMembers(p.deps.db, c.get('principal'), kb.id);
  const base = `/kbs/${kb.id}/members`;
  const swap = { 'hx-target': '#members-panel', 'hx-swap': 'outerHTML' };
  return (
    <div id="members-panel" class="split">
      <section class="stack" aria-labelledby="members-title">
        <h2 id="members-title">{t.tabMembers}</h2>
        <p class="muted">{t.membersIntro}</p>
        <div class="table-wrap">
          <table id="members-table">
            <thead>
              <tr>
                <th scope="col">{t.email}</th>
                <th scope="col">{t.memberRole}</th>
                <th scope="col">
                  <span class="visually-hidden">{t.docActions}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {members.map((m) => (
                <tr data-email={m.user.email} data-role={m.role}>
                  <td class="wrap">
                    {m.user.name ? `${m.user.name} · ${m.user.email}` : m.user.email}{' '}
                    {m.user.id === me && <span class="muted">{t.you}</span>}
                  </td>
                  <td>
                    <RoleBadge t={t} role={m.role} />
                  </td>
                  <td class="actions">
                    {owner && m.role !== 'owner' && (
                      <>
                        <form
                          method="post"
                          action={`${base}/${m.user.id}`}
                          class="inline"
                          hx-post={`${base}/${m.user.id}`}
                          {...swap}
                        >
                          <label class="visually-hidden" for={`role-${m.user.id}`}>
                            {t.memberRole}
                          </label>
                          <RoleSelect c={c} name="role" value={m.role} id={`role-${m.user.id}`} />{' '}
                          <button type="submit" class="secondary">
                            {t.memberChange}
                          </button>
                        </form>{' '}
                        <ActionButton
                          action={`${base}/${m.user.id}/remove`}
                          label={t.memberRemove}
                          confirm={t.memberRemoveConfirm}
                          variant="danger"
                          target="#members-panel"
                        />
                      </>
                    )}
                    {!owner && m.user.id === me && (
                      <ActionButton
                        action={`${base}/${me}/remove`}
                        label={t.memberLeave}
                        confirm={t.memberLeaveConfirm}
                        variant="danger"
                      />
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>
      {owner && (
        <section aria-labelledby="member-add-title">
          <h2 id="member-add-title">{t.memberAddTitle}</h2>
          <form method="post" action={base} class="card stack" id="member-add" hx-post={base} {...swap}>
            <FormError t={t} error={p.errors?._form} />
            <Field
              t={t}
              label={t.memberEmail}
              name="email"
              type="email"
              value={p.values?.email}
              error={p.errors?.email}
              required
              autocomplete="off"
            />
            <div class="field">
              <label for="f-role">{t.memberRole}</label>
              <RoleSelect c={c} name="role" value={p.values?.role ?? 'viewer'} id="f-role" />
            </div>
            <button type="submit" class="primary">
              {t.memberAdd}
            </button>
          </form>
        </section>
      )}
    </div>
  );
}

/** The members tab of a KB. */
export function memberPages(deps: Deps) {
  const render = (
    c: AdminContext,
    kb: KbWithRole,
    form: { values?: Record<string, string>; errors?: FieldErrors } = {},
    status: 200 | 201 | 400 | 404 | 409 | 429 = 200,
  ) => {
    const panel = <MembersPanel c={c} deps={deps} kb={kb} {...form} />;
    const t = c.get('t');
    const whole = () =>
      page(
        c,
        `${t.tabMembers} · ${kb.title}`,
        <>
          <KbHeader t={t} kb={kb} tab="members" />
          {panel}
        </>,
        status,
      );
    return fragmentOrPage(c, panel, whole, status);
  };

  return new Hono<AdminEnv>()
    .get('/kbs/:kbId/members', (c) => render(c, kbAccess(deps.db, c.get('principal'), c.req.param('kbId'), 'read')))
    .post('/kbs/:kbId/members', async (c) => {
      const who = c.get('principal');
      const kb = kbAccess(deps.db, who, c.req.param('kbId'), 'manage');
      const form = await readForm(c, addSchema);
      const { values } = form;
      if (!form.ok) return render(c, kb, { values, errors: form.errors }, 400);
      try {
        spendMemberLookup(deps.db, who.userId);
        const member = addMember(deps.db, who, kb.id, form.data);
        c.get('logger').info({ kbId: kb.id, userId: member.user.id, role: member.role }, 'member added');
        return render(c, kb, {}, 201);
      } catch (err) {
        const known = err instanceof AppError ? addErrors[err.code] : undefined;
        if (!known || !(err instanceof AppError)) throw err;
        return render(c, kb, { values, errors: { [known[0]]: known[1] } }, statusOf(err) as 404);
      }
    })
    .post('/kbs/:kbId/members/:userId', async (c) => {
      const who = c.get('principal');
      const kb = kbAccess(deps.db, who, c.req.param('kbId'), 'manage');
      const { role } = await readFields(c, roleSchema);
      updateMember(deps.db, who, kb.id, c.req.param('userId'), role);
      return render(c, kb);
    })
    .post('/kbs/:kbId/members/:userId/remove', (c) => {
      const who = c.get('principal');
      const userId = c.req.param('userId');
      removeMember(deps.db, who, c.req.param('kbId'), userId);
      if (userId === who.userId) return redirectTo(c, '/kbs');
      return render(c, kbAccess(deps.db, who, c.req.param('kbId'), 'manage'));
    });
}
