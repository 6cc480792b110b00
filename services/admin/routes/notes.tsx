import { Hono } from 'hono';
import { z } from 'zod';
import { kbAccess } from '../../core/access/index.ts';
import type { Deps } from '../../core/deps.ts';
import { getKb } from '../../core/kbs/index.ts';
import {
  createNote,
  deleteNote,
  getNoteRow,
  listNotes,
  type NoteRow,
  shareNote,
  unshareNote,
  updateNote,
} from '../../core/notes/index.ts';
import { publicBase } from '../../http/public-url.ts';
import type { AdminContext, AdminEnv } from '../env.ts';
import { type FieldErrors, readForm } from '../forms.ts';
import { ActionButton, Field, SwapForm } from '../views/form.tsx';
import { formatTime, KbHeader, mayWrite } from '../views/kb-nav.tsx';
import { fragmentOrPage, page, redirectTo } from '../views/render.tsx';

const noteSchema = z.object({
  title: z.string().trim().min(1, 'vRequired').max(200, 'vTooLong'),
  content: z.string().max(100_000, 'vTooLong').default(''),
});
type Values = { title?: string; content?: string };

function NoteForm(p: {
  c: AdminContext;
  action: string;
  id: string;
  values: Values;
  errors: FieldErrors;
  submit: string;
}) {
  const t = p.c.get('t');
  return (
    <SwapForm action={p.action} id={p.id}>
      <Field
        t={t}
        label={t.noteTitle}
        name="title"
        value={p.values.title}
        error={p.errors.title}
        required
        maxlength={200}
      />
      <Field
        t={t}
        label={t.noteContent}
        name="content"
        value={p.values.content}
        error={p.errors.content}
        multiline
        rows={8}
      />
      <button type="submit" class="primary">
        {p.submit}
      </button>
    </SwapForm>
  );
}

function SharePanel({ c, deps, note }: { c: AdminContext; deps: Deps; note: NoteRow }) {
  const t = c.get('t');
  const base = publicBase(c, deps.config);
  return (
    <section id="share-panel" class="card stack">
      {note.shareToken ? (
        <>
          <label for="share-url">{t.noteShareLink}</label>
          <input id="share-url" type="text" readonly value={`${base}/shared/notes/${note.shareToken}`} />
          <ActionButton action={`/notes/${note.id}/unshare`} label={t.noteUnshare} target="#share-panel" />
        </>
      ) : (
        <ActionButton action={`/notes/${note.id}/share`} label={t.noteShare} target="#share-panel" />
      )}
    </section>
  );
}

/** Notes of a KB: list and add; one note: edit, delete, share link on and off. */
export function notePages(deps: Deps) {
  const listPage = (c: AdminContext, kbId: string, values: Values, errors: FieldErrors, status: 200 | 400 = 200) => {
    const t = c.get('t');
    const kb = getKb(deps.db, c.get('principal'), kbId);
    const notes = listNotes(deps.db, c.get('principal'), kb.id);
    return page(
      c,
      `${t.notesTitle} · ${kb.title}`,
      <>
        <KbHeader t={t} kb={kb} tab="notes" />
        <div class="split">
          <section>
            {notes.length === 0 ? (
              <p class="empty">{t.notesEmpty}</p>
            ) : (
              <ul class="cards" id="note-list">
                {notes.map((n) => (
                  <li class="card">
                    <h3>
                      <a href={`/notes/${n.id}`}>{n.title}</a>
                    </h3>
                    <p class="muted">{n.content.slice(0, 160)}</p>
                    <p class="meta">{formatTime(n.updatedAt, c.get('locale'))}</p>
                  </li>
                ))}
              </ul>
            )}
          </section>
          {mayWrite(kb) ? (
            <section>
              <h2>{t.noteCreate}</h2>
              <NoteForm
                c={c}
                action={`/kbs/${kb.id}/notes`}
                id="note-create"
                values={values}
                errors={errors}
                submit={t.noteCreate}
              />
            </section>
          ) : (
            <p class="card muted" id="viewer-notice">
              {t.viewerNotice}
            </p>
          )}
        </div>
      </>,
      status,
    );
  };

  const notePage = (c: AdminContext, note: NoteRow, values: Values, errors: FieldErrors, status: 200 | 400 = 200) => {
    const t = c.get('t');
    const kb = getKb(deps.db, c.get('principal'), note.kbId);
    return page(
      c,
      note.title,
      <>
        <KbHeader t={t} kb={kb} tab="notes" />
        {mayWrite(kb) ? (
          <div class="split">
            <NoteForm
              c={c}
              action={`/notes/${note.id}`}
              id="note-edit"
              values={values}
              errors={errors}
              submit={t.noteSave}
            />
            <div class="stack">
              <SharePanel c={c} deps={deps} note={note} />
              <ActionButton
                action={`/notes/${note.id}/delete`}
                label={t.noteDelete}
                confirm={t.noteDeleteConfirm}
                variant="danger"
              />
            </div>
          </div>
        ) : (
          <article class="card stack" id="note-view">
            <h2 class="wrap">{note.title}</h2>
            <p class="content">{note.content}</p>
            <p class="meta">{formatTime(note.updatedAt, c.get('locale'))}</p>
          </article>
        )}
      </>,
      status,
    );
  };

  return new Hono<AdminEnv>()
    .get('/kbs/:kbId/notes', (c) => listPage(c, c.req.param('kbId'), {}, {}))
    .post('/kbs/:kbId/notes', async (c) => {
      const kbId = kbAccess(deps.db, c.get('principal'), c.req.param('kbId'), 'write').id;
      const form = await readForm(c, noteSchema);
      if (!form.ok) {
        const { values, errors } = form;
        return fragmentOrPage(
          c,
          <NoteForm
            c={c}
            action={`/kbs/${kbId}/notes`}
            id="note-create"
            values={values}
            errors={errors}
            submit={c.get('t').noteCreate}
          />,
          () => listPage(c, kbId, values, errors, 400),
          400,
        );
      }
      const note = createNote(deps.db, c.get('principal'), kbId, form.data);
      return redirectTo(c, `/notes/${note.id}`);
    })
    .get('/notes/:id', (c) => {
      const note = getNoteRow(deps.db, c.get('principal'), c.req.param('id'));
      return notePage(c, note, note, {});
    })
    .post('/notes/:id', async (c) => {
      const note = getNoteRow(deps.db, c.get('principal'), c.req.param('id'), 'write');
      const form = await readForm(c, noteSchema);
      if (!form.ok) {
        const { values, errors } = form;
        return fragmentOrPage(
          c,
          <NoteForm
            c={c}
            action={`/notes/${note.id}`}
            id="note-edit"
            values={values}
            errors={errors}
            submit={c.get('t').noteSave}
          />,
          () => notePage(c, note, values, errors, 400),
          400,
        );
      }
      updateNote(deps.db, c.get('principal'), note.id, form.data);
      return redirectTo(c, `/kbs/${note.kbId}/notes`);
    })
    .post('/notes/:id/delete', (c) => {
      const note = getNoteRow(deps.db, c.get('principal'), c.req.param('id'), 'write');
      deleteNote(deps.db, c.get('principal'), note.id);
      return redirectTo(c, `/kbs/${note.kbId}/notes`);
    })
    .post('/notes/:id/:action{share|unshare}', (c) => {
      const who = c.get('principal');
      const id = c.req.param('id');
      if (c.req.param('action') === 'share') shareNote(deps.db, who, id);
      else unshareNote(deps.db, who, id);
      const note = getNoteRow(deps.db, who, id);
      return fragmentOrPage(c, <SharePanel c={c} deps={deps} note={note} />, () => c.redirect(`/notes/${id}`, 303));
    });
}
