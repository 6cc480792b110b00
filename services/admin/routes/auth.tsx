import { Hono } from 'hono';
import { z } from 'zod';
import { attemptLogin, attemptRegistration } from '../../core/auth/attempts.ts';
import { pendingInvitation } from '../../core/auth/invitations.ts';
import { hasUsers, type PublicUser } from '../../core/auth/users.ts';
import type { Deps } from '../../core/deps.ts';
import { AppError, type ErrorCode } from '../../core/errors.ts';
import { endSession, startSession } from '../../http/auth.ts';
import { requestOrigin } from '../../http/forwarded.ts';
import type { AdminContext, AdminEnv } from '../env.ts';
import { type FieldErrors, type FormValues, readForm } from '../forms.ts';
import type { MessageKey } from '../i18n/index.ts';
import { safeLocalPath } from '../safe-path.ts';
import { Field, FormError, SwapForm } from '../views/form.tsx';
import { fragmentOrPage, type Html, page, redirectTo } from '../views/render.tsx';

const signupSchema = z.object({
  name: z.string().trim().max(100, 'vTooLong').optional(),
  email: z.email('vEmail').max(254, 'vTooLong'),
  password: z.string().min(8, 'vPassword').max(256, 'vTooLong'),
  invitation: z
    .string()
    .max(200)
    .optional()
    .transform((v) => v || undefined),
});
const loginSchema = z.object({
  email: z.string().trim().min(1, 'vRequired').max(254, 'vTooLong'),
  password: z.string().min(1, 'vRequired').max(256, 'vTooLong'),
});

type Values = FormValues;

/** Only same-site paths are followed after logging in. */
const safeNext = (next: unknown) => safeLocalPath(next, '/kbs');

function SignupForm({ c, values, errors }: { c: AdminContext; values: Values; errors: FieldErrors }) {
  const t = c.get('t');
  return (
    <SwapForm action="/signup" id="signup-form">
      {values.invitation && <input type="hidden" name="invitation" value={values.invitation} />}
      <FormError t={t} error={errors._form} />
      <Field t={t} label={t.name} name="name" value={values.name} error={errors.name} autocomplete="name" />
      <Field
        t={t}
        label={t.email}
        name="email"
        type="email"
        value={values.email}
        error={errors.email}
        required
        autocomplete="email"
      />
      <Field
        t={t}
        label={t.password}
        name="password"
        type="password"
        error={errors.password}
        hint={t.passwordHint}
        required
        autocomplete="new-password"
      />
      <button type="submit" class="primary">
        {t.signupButton}
      </button>
      <p>
        {t.haveAccount} <a href="/login">{t.navLogin}</a>
      </p>
    </SwapForm>
  );
}

export function LoginForm({
  c,
  values,
  errors,
  next,
  notice,
}: {
  c: AdminContext;
  values: Values;
  errors: FieldErrors;
  next: string;
  notice?: MessageKey;
}) {
  const t = c.get('t');
  return (
    <SwapForm action="/login" id="login-form">
      <input type="hidden" name="next" value={next} />
      {notice && (
        <p class="alert alert-success" role="status">
          {t[notice]}
        </p>
      )}
      <FormError t={t} error={errors._form} />
      <Field
        t={t}
        label={t.email}
        name="email"
        type="email"
        value={values.email}
        error={errors.email}
        required
        autocomplete="email"
      />
      <Field
        t={t}
        label={t.password}
        name="password"
        type="password"
        error={errors.password}
        required
        autocomplete="current-password"
      />
      <button type="submit" class="primary">
        {t.loginButton}
      </button>
      <p>
        {t.noAccount} <a href="/signup">{t.navSignup}</a>
      </p>
    </SwapForm>
  );
}

/** A page with one narrow card (sign up, log in, reset); htmx gets the card alone. */
export const formPage = (
  c: AdminContext,
  title: string,
  intro: string | undefined,
  form: Html,
  status: 200 | 400 | 401 | 403 | 409 | 429 = 200,
) =>
  fragmentOrPage(
    c,
    form,
    () =>
      page(
        c,
        title,
        <section class="narrow">
          <h1>{title}</h1>
          {intro && <p class="muted">{intro}</p>}
          {form}
        </section>,
        status,
      ),
    status,
  );

/** How a refused sign-up or login reads on the form. */
const formErrors: Partial<Record<ErrorCode, [field: string, message: MessageKey, status: 401 | 403 | 409 | 429]>> = {
  email_taken: ['email', 'emailTaken', 409],
  rate_limited: ['_form', 'errRateLimited', 429],
  signup_closed: ['_form', 'signupClosed', 403],
  invitation_invalid: ['_form', 'invitationInvalid', 403],
  invalid_credentials: ['_form', 'loginFailed', 401],
  account_disabled: ['_form', 'accountDisabled', 403],
};

/** The form's field, message and status for an AppError it knows; rethrows anything else. */
function refusal(err: unknown): [string, MessageKey, 401 | 403 | 409 | 429] {
  const known = err instanceof AppError ? formErrors[err.code] : undefined;
  if (!known) throw err;
  return known;
}

/** Sign up (with an invitation unless SIGNUP=open), log in, log out: the same `cos_session` cookie the API uses. */
export function authPages(deps: Deps) {
  const address = (c: AdminContext) => requestOrigin(c, deps.config.TRUST_PROXY).clientIp;
  const signIn = async (c: AdminContext, user: PublicUser, next: string) => {
    await startSession(c, deps, user);
    return redirectTo(c, next);
  };

  /** The intro of the sign-up page, and whether a form is offered at all. */
  const signupState = (invitation: string | undefined): { intro: MessageKey; form: boolean } => {
    if (!hasUsers(deps.db)) return { intro: 'signupIntro', form: true };
    if (invitation) {
      return pendingInvitation(deps.db, invitation)
        ? { intro: 'signupInvited', form: true }
        : { intro: 'invitationInvalid', form: false };
    }
    if (deps.config.SIGNUP === 'open') return { intro: 'signupIntroOpen', form: true };
    return { intro: deps.config.SIGNUP === 'invite' ? 'signupInviteOnly' : 'signupClosed', form: false };
  };

  return new Hono<AdminEnv>()
    .get('/signup', (c) => {
      const t = c.get('t');
      const invitation = c.req.query('invitation') || undefined;
      const state = signupState(invitation);
      const form = state.form ? (
        <SignupForm c={c} values={invitation ? { invitation } : {}} errors={{}} />
      ) : (
        <p class="card">
          {t.haveAccount} <a href="/login">{t.navLogin}</a>
        </p>
      );
      return formPage(c, t.signupTitle, t[state.intro], form);
    })
    .post('/signup', async (c) => {
      const t = c.get('t');
      const form = await readForm(c, signupSchema);
      const show = (errors: FieldErrors, status: 400 | 401 | 403 | 409 | 429) =>
        formPage(c, t.signupTitle, undefined, <SignupForm c={c} values={form.values} errors={errors} />, status);
      if (!form.ok) return show(form.errors, 400);
      try {
        const registration = { ...form.data, address: address(c) };
        const user = await attemptRegistration(deps.db, registration, deps.config.SIGNUP);
        c.get('logger').info({ userId: user.id }, 'user registered');
        return await signIn(c, user, '/kbs');
      } catch (err) {
        const [field, message, status] = refusal(err);
        return show({ [field]: message }, status);
      }
    })
    .get('/login', (c) => {
      const next = safeNext(c.req.query('next'));
      const notice = c.req.query('reset') === 'done' ? 'resetDone' : undefined;
      return formPage(
        c,
        c.get('t').loginTitle,
        undefined,
        <LoginForm c={c} values={{}} errors={{}} next={next} notice={notice} />,
      );
    })
    .post('/login', async (c) => {
      const t = c.get('t');
      const form = await readForm(c, loginSchema);
      const next = safeNext(form.values.next);
      const show = (errors: FieldErrors, status: 400 | 401 | 403 | 409 | 429) =>
        formPage(
          c,
          t.loginTitle,
          undefined,
          <LoginForm c={c} values={form.values} errors={errors} next={next} />,
          status,
        );
      if (!form.ok) return show(form.errors, 400);
      try {
        return await signIn(c, await attemptLogin(deps.db, { ...form.data, address: address(c) }), next);
      } catch (err) {
        const [field, message, status] = refusal(err);
        return show({ [field]: message }, status);
      }
    })
    .post('/logout', async (c) => {
      await endSession(c, deps);
      return redirectTo(c, '/login');
    });
}
