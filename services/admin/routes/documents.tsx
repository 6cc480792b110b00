import { Hono } from 'hono';
import { z } from 'zod';
import { type KbWithRole, kbAccess } from '../../core/access/index.ts';
import type { Deps } from '../../core/deps.ts';
import { createDocument } from '../../core/documents/create.ts';
import { deleteDocument } from '../../core/documents/delete.ts';
import {
  documentAccess,
  getDocument,
  listChunks,
  listDocuments,
  type PublicDocument,
  toPublicDocument,
} from '../../core/documents/index.ts';
import { checkMetadata, setDocumentMetadata } from '../../core/documents/metadata.ts';
import { reprocessDocument } from '../../core/documents/reprocess.ts';
import { createUrlDocument } from '../../core/documents/url.ts';
import { AppError } from '../../core/errors.ts';
import { getKb } from '../../core/kbs/index.ts';
import { statusOf } from '../../http/errors.ts';
import type { AdminContext, AdminEnv } from '../env.ts';
import { listField, readFields, readForm } from '../forms.ts';
import type { Dict } from '../i18n/index.ts';
import { DocList, DocProgress, isPending, Sections, UploadForm, UrlForm } from '../views/documents.tsx';
import { errorMessage } from '../views/error.tsx';
import { ActionButton } from '../views/form.tsx';
import { KbHeader, mayWrite } from '../views/kb-nav.tsx';
import { MetadataCard, type MetadataRow, metadataKinds, rowsOf, rowValue } from '../views/metadata.tsx';
import { fragment, fragmentOrPage, page, redirectTo } from '../views/render.tsx';

const MAX_FILES = 4;
const urlSchema = z.object({ url: z.string().trim().min(1).max(2048) });

/** The metadata form: rows of name, kind and value, posted as three repeated fields. */
const metadataForm = z.object({
  name: listField(z.string().max(64)),
  kind: listField(z.string().max(10)),
  value: listField(z.string().max(1000)),
});

/** What the rows say that metadata validation would not: a name twice, a number or date that is not one. */
function metadataProblem(t: Dict, rows: MetadataRow[]): string | undefined {
  const seen = new Set<string>();
  for (const row of rows) {
    if (seen.has(row.name)) return `${row.name}: ${t.metadataDuplicate}`;
    seen.add(row.name);
    if (row.kind === 'number' && typeof rowValue(row) !== 'number') return `${row.name}: ${t.metadataBadNumber}`;
    if (row.kind === 'date' && Number.isNaN(Date.parse(row.value))) return `${row.name}: ${t.metadataBadDate}`;
  }
  return undefined;
}

/** The status card of a document page; it polls itself while the document is being processed. */
function StatusCard({ c, doc, writable }: { c: AdminContext; doc: PublicDocument; writable: boolean }) {
  const t = c.get('t');
  const polling = isPending(doc);
  return (
    <div
      id="doc-status"
      class="card doc-status"
      hx-get={polling ? `/documents/${doc.id}/status` : undefined}
      hx-trigger={polling ? 'every 1s' : undefined}
      hx-swap={polling ? 'outerHTML' : undefined}
    >
      <div class="doc-progress">
        <DocProgress t={t} doc={doc} />
      </div>
      {writable && (
        <div class="actions">
          <ActionButton action={`/documents/${doc.id}/reprocess`} label={t.docReprocess} />{' '}
          <ActionButton
            action={`/documents/${doc.id}/delete`}
            label={t.docDelete}
            confirm={t.docDeleteConfirm}
            variant="danger"
          />
        </div>
      )}
    </div>
  );
}

/** Errors (and the address typed) to show in the upload and "Add from URL" forms. */
interface FormState {
  upload?: string;
  url?: string;
  urlValue?: string;
}

/**
 * A KB's documents: upload (drop zone and file input) or add from URL, a live list, one document's three
 * layers. Viewers see the list and the documents; the upload form and the buttons that change
 * documents are for editors and the owner.
 */
export function documentPages(deps: Deps) {
  const panel = (c: AdminContext, kb: KbWithRole, state: FormState = {}) => {
    const t = c.get('t');
    const writable = mayWrite(kb);
    return (
      <div id="documents-panel" class="split">
        <section aria-labelledby="docs-title">
          <h2 id="docs-title">{t.docsTitle}</h2>
          <DocList t={t} kbId={kb.id} docs={listDocuments(deps.db, c.get('principal'), kb.id)} writable={writable} />
        </section>
        {writable ? (
          <div class="stack">
            <UploadForm t={t} kbId={kb.id} maxMb={deps.config.MAX_UPLOAD_MB} error={state.upload} />
            <UrlForm t={t} kbId={kb.id} error={state.url} value={state.urlValue} />
          </div>
        ) : (
          <p class="card muted" id="viewer-notice">
            {t.viewerNotice}
          </p>
        )}
      </div>
    );
  };

  const kbPage = (c: AdminContext, kbId: string, state: FormState = {}, status: 200 | 400 | 413 | 415 = 200) => {
    const kb = getKb(deps.db, c.get('principal'), kbId);
    return page(
      c,
      kb.title,
      <>
        <KbHeader t={c.get('t')} kb={kb} tab="documents" />
        {panel(c, kb, state)}
      </>,
      status,
    );
  };

  /** The documents panel alone for htmx, else the whole page. */
  const answer = (c: AdminContext, kb: KbWithRole, state: FormState, status: 200 | 400 | 413 | 415) =>
    fragmentOrPage(c, panel(c, kb, state), () => kbPage(c, kb.id, state, status), status);

  /** One document's page; `edit` is a metadata form sent back with its error. */
  const documentPage = (c: AdminContext, id: string, edit?: { rows: MetadataRow[]; error: string }) => {
    const t = c.get('t');
    const who = c.get('principal');
    const doc = getDocument(deps.db, who, id);
    const kb = getKb(deps.db, who, doc.kbId);
    const chunks = doc.status === 'completed' ? listChunks(deps.db, who, doc.id) : [];
    return page(
      c,
      doc.fileName,
      <div class="stack">
        <KbHeader t={t} kb={kb} tab="documents" />
        <div class="doc-head stack">
          <h2 class="wrap">{doc.fileName}</h2>
          {doc.sourceUrl && (
            <p class="meta wrap">
              {t.docSource}:{' '}
              <a href={doc.sourceUrl} rel="noopener noreferrer nofollow" target="_blank">
                {doc.sourceUrl}
              </a>
            </p>
          )}
          <StatusCard c={c} doc={doc} writable={mayWrite(kb)} />
        </div>
        <MetadataCard
          t={t}
          docId={doc.id}
          rows={edit?.rows ?? rowsOf(doc.metadata)}
          writable={mayWrite(kb)}
          error={edit?.error}
        />
        <section class="card summary-card" aria-labelledby="summary-title">
          <h3 id="summary-title">{t.docSummary}</h3>
          <p class="content">{doc.summary || t.docNoSummary}</p>
        </section>
        <section aria-labelledby="sections-title" class="stack">
          <h3 id="sections-title">
            {t.docParents} · {t.docChildren}
          </h3>
          <Sections t={t} chunks={chunks} highlight={c.req.query('passage')} />
        </section>
      </div>,
      edit ? 400 : 200,
    );
  };

  return new Hono<AdminEnv>()
    .get('/kbs/:kbId', (c) => kbPage(c, c.req.param('kbId')))
    .get('/kbs/:kbId/documents', (c) => {
      const kb = getKb(deps.db, c.get('principal'), c.req.param('kbId'));
      const docs = listDocuments(deps.db, c.get('principal'), kb.id);
      return fragment(c, <DocList t={c.get('t')} kbId={kb.id} docs={docs} writable={mayWrite(kb)} />);
    })
    .post('/kbs/:kbId/documents', async (c) => {
      const kbId = c.req.param('kbId');
      const who = c.get('principal');
      const kb = kbAccess(deps.db, who, kbId, 'write');
      const body = await c.req.parseBody({ all: true });
      const files = [body.file].flat().filter((f): f is File => f instanceof File && f.name !== '');
      const show = (error: string | undefined, status: 200 | 400 | 413 | 415) =>
        answer(c, kb, { upload: error }, status);
      if (files.length === 0) return show('uploadNoFile', 400);
      for (const file of files.slice(0, MAX_FILES)) {
        if (file.size === 0) return show(`${file.name}: ${c.get('t').uploadEmpty}`, 400);
        try {
          await createDocument(deps, who, kbId, {
            fileName: file.name,
            bytes: new Uint8Array(await file.arrayBuffer()),
          });
        } catch (err) {
          if (!(err instanceof AppError)) throw err;
          const status = statusOf(err);
          if (status !== 400 && status !== 413 && status !== 415) throw err;
          return show(`${file.name}: ${errorMessage(c.get('t'), err)}`, status);
        }
      }
      return fragmentOrPage(c, panel(c, kb), () => c.redirect(`/kbs/${kbId}`, 303));
    })
    .post('/kbs/:kbId/documents/url', async (c) => {
      const who = c.get('principal');
      const kb = kbAccess(deps.db, who, c.req.param('kbId'), 'write');
      const form = await readForm(c, urlSchema);
      if (!form.ok) return answer(c, kb, { url: 'urlNone', urlValue: form.values.url }, 400);
      const { url } = form.data;
      try {
        await createUrlDocument(deps, who, kb.id, url);
      } catch (err) {
        if (!(err instanceof AppError) || statusOf(err) !== 400) throw err;
        return answer(c, kb, { url: errorMessage(c.get('t'), err), urlValue: url }, 400);
      }
      return fragmentOrPage(c, panel(c, kb), () => c.redirect(`/kbs/${kb.id}`, 303));
    })
    .get('/documents/:id', (c) => documentPage(c, c.req.param('id')))
    .get('/documents/:id/status', (c) => {
      const { doc, kb } = documentAccess(deps.db, c.get('principal'), c.req.param('id'), 'read');
      // When processing ends, reload so the summary and sections appear.
      if (!isPending(doc)) c.header('HX-Refresh', 'true');
      return fragment(c, <StatusCard c={c} doc={toPublicDocument(doc)} writable={mayWrite(kb)} />);
    })
    .post('/documents/:id/metadata', async (c) => {
      const t = c.get('t');
      const { doc } = documentAccess(deps.db, c.get('principal'), c.req.param('id'), 'write');
      const { name: names, kind: kinds, value: values } = await readFields(c, metadataForm);
      const kept: MetadataRow[] = names
        .map((name, i) => ({
          name: name.trim(),
          kind: metadataKinds.find((k) => k === kinds[i]) ?? 'text',
          value: values[i] ?? '',
        }))
        .filter((r) => r.name !== '');
      const refuse = (error: string) =>
        fragmentOrPage(
          c,
          <MetadataCard t={t} docId={doc.id} rows={kept} writable error={error} />,
          () => documentPage(c, doc.id, { rows: kept, error }),
          400,
        );
      const problem = metadataProblem(t, kept);
      if (problem) return refuse(problem);
      let saved: PublicDocument;
      try {
        const metadata = checkMetadata(Object.fromEntries(kept.map((r) => [r.name, rowValue(r)])));
        saved = setDocumentMetadata(deps.db, c.get('principal'), doc.id, metadata);
      } catch (err) {
        if (err instanceof AppError && statusOf(err) === 400) return refuse(err.message);
        throw err;
      }
      return fragmentOrPage(c, <MetadataCard t={t} docId={doc.id} rows={rowsOf(saved.metadata)} writable />, () =>
        c.redirect(`/documents/${doc.id}`, 303),
      );
    })
    .post('/documents/:id/reprocess', async (c) => {
      const doc = await reprocessDocument(deps, c.get('principal'), c.req.param('id'));
      return redirectTo(c, `/documents/${doc.id}`);
    })
    .post('/documents/:id/delete', async (c) => {
      const { doc } = documentAccess(deps.db, c.get('principal'), c.req.param('id'), 'write');
      await deleteDocument(deps, c.get('principal'), doc.id);
      return redirectTo(c, `/kbs/${doc.kbId}`);
    });
}
