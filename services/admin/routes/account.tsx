import { Hono } from 'hono';
import { z } from 'zod';
import { isResetLinkUsable, resetPassword } from '../../core/auth/password-resets.ts';
import { changePassword } from '../../core/auth/users.ts';
import type { Deps } from '../../core/deps.ts';
import { AppError, type ErrorCode } from '../../core/errors.ts';
import { requireSession } from '../../http/auth.ts';
import { clientIp } from '../../http/client-ip.ts';
import { RateLimiter } from '../../http/rate-limit.ts';
import type { AdminContext, AdminEnv } from '../env.ts';
import type { MessageKey } from '../i18n/index.ts';
import { requireLogin } from '../middleware.ts';
import { Field, type FieldErrors, FormError, fieldErrors, SwapForm } from '../views/form.tsx';
import { fragment, page, redirectTo } from '../views/render.tsx';
import { formPage, strings } from './auth.tsx';

const newPassword = z.string().min(8, 'vPassword').max(256, 'vTooLong');
const changeSchema = z.object({ currentPassword: z.string().min(1, 'vRequired').max(256, 'vTooLong'), newPassword });
const resetSchema = z.object({ token: z.string().max(200), newPassword });

const refusals: Partial<Record<ErrorCode, [string, MessageKey]>> = {
  wrong_password: ['currentPassword', 'wrongPassword'],
  reset_link_invalid: ['_form', 'resetInvalid'],
  rate_limited: ['_form', 'errRateLimited'],
};
function refusal(err: unknown): FieldErrors {
  const known = err instanceof AppError ? refusals[err.code] : undefined;
  if (!known) throw err;
  return { [known[0]]: known[1] };
}

function PasswordForm({ c, errors, done }: { c: AdminContext; errors: FieldErrors; done?: boolean }) {
  const t = c.get('t');
  return (
    <SwapForm action="/account/password" id="password-form">
      <h2>{t.passwordChangeTitle}</h2>
      <p class="muted">{t.passwordChangeIntro}</p>
      {done && (
        <p class="alert alert-success" role="status">
          {t.passwordChanged}
        </p>
      )}
      <FormError t={t} error={errors._form} />
      <Field
        t={t}
        label={t.currentPassword}
        name="currentPassword"
        type="password"
        error={errors.currentPassword}
        required
        autocomplete="current-password"
      />
      <Field
        t={t}
        label={t.newPassword}
        name="newPassword"
        type="password"
        error={errors.newPassword}
        hint={t.passwordHint}
        required
        autocomplete="new-password"
      />
      <button type="submit" class="primary">
        {t.passwordChangeButton}
      </button>
    </SwapForm>
  );
}

function ResetForm({ c, token, errors }: { c: AdminContext; token: string; errors: FieldErrors }) {
  const t = c.get('t');
  return (
    <SwapForm action="/reset-password" id="reset-form">
      <input type="hidden" name="token" value={token} />
      <FormError t={t} error={errors._form} />
      <Field
        t={t}
        label={t.newPassword}
        name="newPassword"
        type="password"
        error={errors.newPassword}
        hint={t.passwordHint}
        required
        autocomplete="new-password"
      />
      <button type="submit" class="primary">
        {t.resetButton}
      </button>
    </SwapForm>
  );
}

/** The account page with the password change, and the page an admin's reset link opens. */
export function accountPages(deps: Deps) {
  // Guessing a current password from a stolen session, or reset tokens, meets a budget too.
  const perAccount = new RateLimiter(10, 5 * 60_000);
  const perIp = new RateLimiter(30, 5 * 60_000);

  const accountPage = (c: AdminContext, errors: FieldErrors, status: 200 | 400 | 403 | 429 = 200, done = false) => {
    const t = c.get('t');
    const user = c.get('user');
    const form = <PasswordForm c={c} errors={errors} done={done} />;
    if (c.req.header('hx-request') === 'true') return fragment(c, form, status);
    return page(
      c,
      t.accountTitle,
      <section class="narrow-left stack">
        <h1>{t.accountTitle}</h1>
        <dl class="card facts" id="account-facts">
          <dt>{t.email}</dt>
          <dd>{user.email}</dd>
          <dt>{t.role}</dt>
          <dd>{user.role === 'admin' ? t.roleAdmin : t.roleUser}</dd>
        </dl>
        {form}
        <p>
          <a href="/account/api-keys">{t.keysTitle}</a>
        </p>
      </section>,
      status,
    );
  };

  return new Hono<AdminEnv>()
    .get('/account', requireLogin, (c) => accountPage(c, {}))
    .post('/account/password', requireLogin, requireSession, async (c) => {
      const parsed = changeSchema.safeParse(strings(await c.req.parseBody()));
      if (!parsed.success) return accountPage(c, fieldErrors(parsed.error), 400);
      const user = c.get('user');
      try {
        perAccount.hit(user.email);
        await changePassword(deps.db, user.id, parsed.data, c.get('tokenId'));
        perAccount.reset(user.email);
      } catch (err) {
        const errors = refusal(err);
        return accountPage(c, errors, errors._form ? 429 : 403);
      }
      c.get('logger').info({ userId: user.id }, 'password changed; other sessions ended');
      return accountPage(c, {}, 200, true);
    })
    .get('/reset-password', (c) => {
      const t = c.get('t');
      const token = c.req.query('token') ?? '';
      const form = isResetLinkUsable(deps.db, token) ? (
        <ResetForm c={c} token={token} errors={{}} />
      ) : (
        <p class="alert alert-error" role="alert">
          {t.resetInvalid}
        </p>
      );
      return formPage(c, t.resetTitle, undefined, form);
    })
    .post('/reset-password', async (c) => {
      const t = c.get('t');
      const values = strings(await c.req.parseBody());
      const show = (errors: FieldErrors, status: 400 | 403 | 429) =>
        formPage(c, t.resetTitle, undefined, <ResetForm c={c} token={values.token ?? ''} errors={errors} />, status);
      const parsed = resetSchema.safeParse(values);
      if (!parsed.success) return show(fieldErrors(parsed.error), 400);
      try {
        perIp.hit(clientIp(c, deps.config.TRUST_PROXY));
        await resetPassword(deps.db, parsed.data.token, parsed.data.newPassword);
      } catch (err) {
        const errors = refusal(err);
        return show(errors, err instanceof AppError && err.status === 429 ? 429 : 403);
      }
      return redirectTo(c, '/login?reset=done');
    });
}
