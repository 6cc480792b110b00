import { Hono } from 'hono';
import { z } from 'zod';
import { type KbWithRole, kbAccess } from '../../core/access/index.ts';
import type { Deps } from '../../core/deps.ts';
import { listDocuments } from '../../core/documents/index.ts';
import { AppError } from '../../core/errors.ts';
import { assertOcrLanguage, installedOcrLanguages, OCR_LANGUAGE_PATTERN } from '../../core/ingest/ocr/tesseract.ts';
import { deleteKb } from '../../core/kbs/delete.ts';
import { createKb, listKbs, updateKb } from '../../core/kbs/index.ts';
import type { AdminContext, AdminEnv } from '../env.ts';
import { type FieldErrors, readForm } from '../forms.ts';
import { fmt } from '../i18n/index.ts';
import { ActionButton, Field, SwapForm } from '../views/form.tsx';
import { formatTime, KbHeader, RoleBadge } from '../views/kb-nav.tsx';
import { OcrLanguageForm } from '../views/ocr-language.tsx';
import { fragmentOrPage, page, redirectTo } from '../views/render.tsx';

const kbSchema = z.object({
  title: z.string().trim().min(1, 'vRequired').max(200, 'vTooLong'),
  description: z.string().trim().max(2000, 'vTooLong').default(''),
});

type Values = { title?: string; description?: string };

function KbForm(p: {
  c: AdminContext;
  action: string;
  values: Values;
  errors: FieldErrors;
  submit: string;
  id: string;
}) {
  const t = p.c.get('t');
  return (
    <SwapForm action={p.action} id={p.id}>
      <Field
        t={t}
        label={t.kbTitle}
        name="title"
        value={p.values.title}
        error={p.errors.title}
        required
        maxlength={200}
      />
      <Field
        t={t}
        label={t.kbDescription}
        name="description"
        value={p.values.description}
        error={p.errors.description}
        multiline
        rows={3}
      />
      <button type="submit" class="primary">
        {p.submit}
      </button>
    </SwapForm>
  );
}

function KbList({ c, kbs, counts }: { c: AdminContext; kbs: KbWithRole[]; counts: (kbId: string) => number }) {
  const t = c.get('t');
  if (kbs.length === 0) return <p class="empty">{t.kbsEmpty}</p>;
  return (
    <ul class="cards" id="kb-list">
      {kbs.map((kb) => (
        <li class="card">
          <h3>
            <a href={`/kbs/${kb.id}`}>{kb.title}</a> <RoleBadge t={t} role={kb.role} />
          </h3>
          {kb.description && <p class="muted">{kb.description}</p>}
          <p class="meta">
            {fmt(t.kbDocCount, { n: counts(kb.id) })} · {formatTime(kb.createdAt, c.get('locale'))}
          </p>
        </li>
      ))}
    </ul>
  );
}

/** Knowledge bases: the list with a create form, the settings page (edit, delete). */
export function kbPages(deps: Deps) {
  const listPage = (c: AdminContext, values: Values, errors: FieldErrors, status: 200 | 400 = 200) => {
    const t = c.get('t');
    return page(
      c,
      t.kbsTitle,
      <div class="split">
        <section>
          <h1>{t.kbsTitle}</h1>
          <KbList
            c={c}
            kbs={listKbs(deps.db, c.get('principal'))}
            counts={(kbId) => listDocuments(deps.db, c.get('principal'), kbId).length}
          />
        </section>
        <section aria-labelledby="kb-create-title">
          <h2 id="kb-create-title">{t.kbCreateTitle}</h2>
          <KbForm c={c} action="/kbs" id="kb-create" values={values} errors={errors} submit={t.kbCreateButton} />
        </section>
      </div>,
      status,
    );
  };

  const editPage = async (
    c: AdminContext,
    kb: KbWithRole,
    values: Values,
    errors: FieldErrors,
    status: 200 | 400 = 200,
  ) => {
    const t = c.get('t');
    const installed = await installedOcrLanguages();
    return page(
      c,
      `${t.kbEditTitle} · ${kb.title}`,
      <>
        <KbHeader t={t} kb={kb} tab="settings" />
        <section class="narrow-left stack">
          <h2>{t.kbEditTitle}</h2>
          <KbForm
            c={c}
            action={`/kbs/${kb.id}/edit`}
            id="kb-edit"
            values={values}
            errors={errors}
            submit={t.kbSaveButton}
          />
          <OcrLanguageForm t={t} kb={kb} installed={installed} />
          <ActionButton
            action={`/kbs/${kb.id}/delete`}
            label={t.kbDeleteButton}
            confirm={t.kbDeleteConfirm}
            variant="danger"
          />
        </section>
      </>,
      status,
    );
  };

  return new Hono<AdminEnv>()
    .get('/', (c) => listPage(c, {}, {}))
    .post('/', async (c) => {
      const form = await readForm(c, kbSchema);
      if (!form.ok) {
        const { values, errors } = form;
        return fragmentOrPage(
          c,
          <KbForm
            c={c}
            action="/kbs"
            id="kb-create"
            values={values}
            errors={errors}
            submit={c.get('t').kbCreateButton}
          />,
          () => listPage(c, values, errors, 400),
          400,
        );
      }
      const kb = createKb(deps.db, c.get('principal'), form.data);
      return redirectTo(c, `/kbs/${kb.id}`);
    })
    .get('/:kbId/edit', (c) => {
      const kb = kbAccess(deps.db, c.get('principal'), c.req.param('kbId'), 'manage');
      return editPage(c, kb, kb, {});
    })
    .post('/:kbId/edit', async (c) => {
      const kb = kbAccess(deps.db, c.get('principal'), c.req.param('kbId'), 'manage');
      const form = await readForm(c, kbSchema);
      if (!form.ok) {
        const { values, errors } = form;
        return fragmentOrPage(
          c,
          <KbForm
            c={c}
            action={`/kbs/${kb.id}/edit`}
            id="kb-edit"
            values={values}
            errors={errors}
            submit={c.get('t').kbSaveButton}
          />,
          () => editPage(c, kb, values, errors, 400),
          400,
        );
      }
      updateKb(deps.db, c.get('principal'), kb.id, form.data);
      return redirectTo(c, `/kbs/${kb.id}`);
    })
    .post('/:kbId/ocr', async (c) => {
      const kb = kbAccess(deps.db, c.get('principal'), c.req.param('kbId'), 'manage');
      const form = await readForm(c, z.object({ ocrLanguage: z.string().regex(OCR_LANGUAGE_PATTERN) }));
      if (!form.ok) throw new AppError('validation_failed', 'Invalid OCR language');
      const language = form.data.ocrLanguage;
      await assertOcrLanguage(language);
      updateKb(deps.db, c.get('principal'), kb.id, { ocrLanguage: language });
      return redirectTo(c, `/kbs/${kb.id}/edit`);
    })
    .post('/:kbId/delete', async (c) => {
      await deleteKb(deps, c.get('principal'), c.req.param('kbId'));
      return redirectTo(c, '/kbs');
    });
}
