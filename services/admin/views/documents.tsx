import type { PublicChunk, PublicDocument } from '../../core/documents/index.ts';
import { type Dict, fmt, type MessageKey, translate } from '../i18n/index.ts';
import { ActionButton } from './form.tsx';
import { StatusBadge } from './status.tsx';

export const isPending = (d: Pick<PublicDocument, 'status'>) => d.status === 'queued' || d.status === 'processing';

/** Text for display: blank-line runs and trailing spaces collapsed, so passages stay compact. */
export const tidyText = (text: string) =>
  text
    .replace(/[ \t]+\n/g, '\n')
    .replace(/\n{2,}/g, '\n')
    .trim();

export const fileSize = (bytes: number) =>
  bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MB` : `${Math.max(1, Math.round(bytes / 1024))} kB`;

const stages: Record<string, MessageKey> = {
  parsing: 'stageParsing',
  ocr: 'stageOcr',
  summarizing: 'stageSummarizing',
  chunking: 'stageChunking',
  embedding: 'stageEmbedding',
  indexing: 'stageIndexing',
};
const stageLabel = (t: Dict, stage: string) => {
  const key = stages[stage];
  return key ? t[key] : stage;
};

/** Status, progress bar and stage of one document. */
export function DocProgress({ t, doc }: { t: Dict; doc: PublicDocument }) {
  return (
    <div class="doc-progress">
      <StatusBadge t={t} status={doc.status} />
      {isPending(doc) && (
        <>
          <progress max={100} value={doc.progress} aria-label={`${doc.fileName}: ${t.docProgress}`}>
            {doc.progress}%
          </progress>
          <span class="meta">
            {doc.progress}%{doc.stage ? ` · ${stageLabel(t, doc.stage)}` : ''}
          </span>
        </>
      )}
      {doc.status === 'failed' && doc.error && <span class="error">{doc.error}</span>}
    </div>
  );
}

/**
 * The documents of a KB. While any is queued or processing, the list polls itself every
 * second; the first render with nothing pending leaves out the trigger, which stops it.
 */
export function DocList({
  t,
  kbId,
  docs,
  writable,
}: {
  t: Dict;
  kbId: string;
  docs: PublicDocument[];
  /** Whether the caller may delete documents (editors and the owner). */
  writable: boolean;
}) {
  const polling = docs.some(isPending);
  return (
    <div
      id="doc-list"
      hx-get={polling ? `/kbs/${kbId}/documents` : undefined}
      hx-trigger={polling ? 'every 1s' : undefined}
      hx-swap={polling ? 'outerHTML' : undefined}
      data-polling={polling ? 'true' : 'false'}
    >
      {docs.length === 0 ? (
        <p class="empty">{t.docsEmpty}</p>
      ) : (
        <div class="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">{t.docFile}</th>
                <th scope="col">{t.docStatus}</th>
                <th scope="col" class="hide-narrow">
                  {t.docSize}
                </th>
                {writable && <th scope="col">{t.docActions}</th>}
              </tr>
            </thead>
            <tbody>
              {docs.map((d) => (
                <tr data-status={d.status}>
                  <td class="wrap">
                    <a href={`/documents/${d.id}`} id={`open-${d.id}`}>
                      {d.fileName}
                    </a>
                    {d.status === 'completed' && (
                      <div class="meta">{fmt(t.docSections, { p: d.parentCount, c: d.childCount })}</div>
                    )}
                  </td>
                  <td class="status-cell">
                    <DocProgress t={t} doc={d} />
                  </td>
                  <td class="nowrap hide-narrow">{fileSize(d.size)}</td>
                  {writable && (
                    <td class="actions">
                      <ActionButton
                        id={`delete-${d.id}`}
                        action={`/documents/${d.id}/delete`}
                        label={t.docDelete}
                        confirm={t.docDeleteConfirm}
                        variant="danger"
                      />
                    </td>
                  )}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}

/** The upload form: a drop zone around an ordinary file input, so both work. */
export function UploadForm({ t, kbId, maxMb, error }: { t: Dict; kbId: string; maxMb: number; error?: string }) {
  const action = `/kbs/${kbId}/documents`;
  return (
    <form
      id="upload-form"
      method="post"
      action={action}
      enctype="multipart/form-data"
      class="card stack"
      hx-post={action}
      hx-encoding="multipart/form-data"
      hx-target="#documents-panel"
      hx-swap="outerHTML"
      hx-disabled-elt="find button"
    >
      <h2>{t.uploadTitle}</h2>
      <div class={error ? 'dropzone field has-error' : 'dropzone field'}>
        <p id="drop-hint">{t.uploadDrop}</p>
        <label for="f-file">{t.uploadChoose}</label>
        <input
          id="f-file"
          type="file"
          name="file"
          multiple
          accept=".txt,.md,.markdown,.html,.htm,.pdf,.docx,.xlsx,.csv,.tsv,.pptx,.epub,.png,.jpg,.jpeg,.webp,.tif,.tiff,text/plain,text/markdown,text/html,text/csv,application/pdf,image/*"
          aria-describedby={error ? 'f-file-hint f-file-error' : 'f-file-hint'}
          aria-invalid={error ? 'true' : undefined}
        />
        <p class="hint" id="f-file-hint">
          {fmt(t.uploadHint, { mb: maxMb })}
        </p>
        {error && (
          <p class="error" id="f-file-error">
            {translate(t, error)}
          </p>
        )}
      </div>
      <button type="submit" class="primary">
        {t.uploadButton}
      </button>
    </form>
  );
}

/** A document's sections, each with its passages; the cited passage is highlighted. */
export function Sections({ t, chunks, highlight }: { t: Dict; chunks: PublicChunk[]; highlight?: string }) {
  const parents = chunks.filter((c) => c.layer === 'parent');
  const children = chunks.filter((c) => c.layer === 'child');
  return (
    <ol class="sections">
      {parents.map((p) => (
        <li class="card section" id={`chunk-${p.id}`}>
          <h3>{p.heading || `${t.hitSection} ${p.position + 1}`}</h3>
          <ol class="passages">
            {children
              .filter((ch) => ch.parentId === p.id)
              .map((ch) => (
                <li
                  id={`chunk-${ch.id}`}
                  class={ch.id === highlight ? 'chunk highlight' : 'chunk'}
                  aria-current={ch.id === highlight ? 'true' : undefined}
                >
                  <p class="content">{tidyText(ch.content)}</p>
                </li>
              ))}
          </ol>
        </li>
      ))}
    </ol>
  );
}

/** "Add from URL": the address of a web page for the server to fetch and import. */
export function UrlForm({ t, kbId, error, value }: { t: Dict; kbId: string; error?: string; value?: string }) {
  const action = `/kbs/${kbId}/documents/url`;
  return (
    <form
      id="url-form"
      method="post"
      action={action}
      class="card stack"
      hx-post={action}
      hx-target="#documents-panel"
      hx-swap="outerHTML"
      hx-disabled-elt="find button"
    >
      <h2>{t.urlTitle}</h2>
      <div class={error ? 'field has-error' : 'field'}>
        <label for="f-url">{t.urlLabel}</label>
        <input
          id="f-url"
          type="url"
          name="url"
          value={value}
          placeholder="https://"
          required
          aria-describedby={error ? 'f-url-hint f-url-error' : 'f-url-hint'}
          aria-invalid={error ? 'true' : undefined}
        />
        <p class="hint" id="f-url-hint">
          {t.urlHint}
        </p>
        {error && (
          <p class="error" id="f-url-error">
            {translate(t, error)}
          </p>
        )}
      </div>
      <button type="submit">{t.urlButton}</button>
    </form>
  );
}
