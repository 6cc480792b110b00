import type { DocumentMetadata, MetadataValue } from '../../core/documents/metadata.ts';
import type { Dict } from '../i18n/index.ts';
import { FormError, SwapForm } from './form.tsx';

export const metadataKinds = ['text', 'number', 'date', 'list'] as const;
export type MetadataKind = (typeof metadataKinds)[number];

/** One editable row: a name, a kind and the value as typed. */
export interface MetadataRow {
  name: string;
  kind: MetadataKind;
  value: string;
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}([T ][\d:.]+(Z|[+-]\d{2}:?\d{2})?)?$/;

/** The rows of a document's metadata, in name order. */
export function rowsOf(metadata: DocumentMetadata): MetadataRow[] {
  return Object.entries(metadata)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([name, v]) => ({ name, ...kindOf(v) }));
}

function kindOf(v: MetadataValue): Omit<MetadataRow, 'name'> {
  if (Array.isArray(v)) return { kind: 'list', value: v.join(', ') };
  if (typeof v === 'number') return { kind: 'number', value: String(v) };
  return { kind: ISO_DATE.test(v) ? 'date' : 'text', value: v };
}

/** The value a row stands for; a number that does not parse stays text so validation can name it. */
export function rowValue(row: MetadataRow): MetadataValue {
  if (row.kind === 'list') {
    return row.value
      .split(/[,，]/)
      .map((s) => s.trim())
      .filter(Boolean);
  }
  if (row.kind === 'number' && row.value.trim() !== '' && Number.isFinite(Number(row.value))) return Number(row.value);
  return row.value.trim();
}

const BLANK_ROWS = 2;

/** The metadata of a document: a table for readers, a form of rows for editors (clear a name to remove it). */
export function MetadataCard(p: { t: Dict; docId: string; rows: MetadataRow[]; writable: boolean; error?: string }) {
  const { t } = p;
  if (!p.writable) {
    return (
      <section class="card stack" id="doc-metadata" aria-labelledby="metadata-title">
        <h3 id="metadata-title">{t.metadataTitle}</h3>
        {p.rows.length === 0 ? (
          <p class="muted">{t.metadataNone}</p>
        ) : (
          <dl class="metadata">
            {p.rows.map((r) => (
              <>
                <dt>{r.name}</dt>
                <dd>{r.value}</dd>
              </>
            ))}
          </dl>
        )}
      </section>
    );
  }
  const rows = [
    ...p.rows,
    ...Array.from({ length: BLANK_ROWS }, () => ({ name: '', kind: 'text' as const, value: '' })),
  ];
  return (
    <SwapForm action={`/documents/${p.docId}/metadata`} id="doc-metadata">
      <h3 id="metadata-title">{t.metadataTitle}</h3>
      <p class="hint">{t.metadataHint}</p>
      <FormError t={t} error={p.error} />
      <table class="metadata-rows">
        <thead>
          <tr>
            <th scope="col">{t.metadataName}</th>
            <th scope="col">{t.metadataKind}</th>
            <th scope="col">{t.metadataValue}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r, i) => (
            <tr>
              <td>
                <input
                  type="text"
                  name="name"
                  value={r.name}
                  maxlength={64}
                  aria-label={`${t.metadataName} ${i + 1}`}
                />
              </td>
              <td>
                <select name="kind" aria-label={`${t.metadataKind} ${i + 1}`}>
                  {metadataKinds.map((k) => (
                    <option value={k} selected={k === r.kind}>
                      {t[`metadataKind_${k}`]}
                    </option>
                  ))}
                </select>
              </td>
              <td>
                <input
                  type="text"
                  name="value"
                  value={r.value}
                  maxlength={1000}
                  aria-label={`${t.metadataValue} ${i + 1}`}
                />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <div>
        <button type="submit">{t.metadataSave}</button>
      </div>
    </SwapForm>
  );
}
