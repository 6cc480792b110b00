import { Hono } from 'hono';
import { z } from 'zod';
import type { Deps } from '../../core/deps.ts';
import { getKb } from '../../core/kbs/index.ts';
import { search } from '../../core/search/index.ts';
import { type SearchHit, type SearchMode, type SearchResult, searchModes } from '../../core/search/types.ts';
import type { AdminContext, AdminEnv } from '../env.ts';
import { type Dict, fmt, type MessageKey } from '../i18n/index.ts';
import { citationHref } from '../views/chat.tsx';
import { tidyText } from '../views/documents.tsx';
import { Field } from '../views/form.tsx';
import { KbHeader } from '../views/kb-nav.tsx';
import { fragmentOrPage, page } from '../views/render.tsx';

const modeLabels: Record<SearchMode, MessageKey> = {
  'drill-down': 'modeDrillDown',
  'drill-down-relaxed': 'modeDrillDownRelaxed',
  flat: 'modeFlat',
};

const querySchema = z.object({
  q: z.string().trim().max(2000, 'vTooLong').default(''),
  mode: z.enum(searchModes).catch('drill-down'),
  topK: z.coerce.number().int().min(1).max(20).catch(3),
});
/** The form as shown: full-text ranking is on unless the user turned it off. */
type SearchForm = z.infer<typeof querySchema> & { hybrid: boolean };

/**
 * Full-text ranking is on by default, as in the API. The form always sends `hybrid=off` and,
 * when the box is ticked, `hybrid=on` after it: a plain link without the field keeps it on.
 */
const hybridOf = (values: string[] | undefined) => values === undefined || values.includes('on');

const clip = (text: string, max: number) => (text.length > max ? `${text.slice(0, max)}…` : text);

const score = (t: Dict, n: number, reranked?: boolean) => (
  <span class="score">
    {reranked ? t.rerankScore : t.score} {n.toFixed(3)}
  </span>
);

function Hit({ t, hit }: { t: Dict; hit: SearchHit }) {
  const docUrl = `/documents/${hit.document.id}`;
  return (
    <article class="card hit">
      <div class="layer layer-document">
        <header>
          <h4>{t.hitDocument}</h4>
          {score(t, hit.document.score)}
        </header>
        <h3>
          <a href={docUrl}>{hit.document.fileName}</a>
        </h3>
        <p class="content muted">{tidyText(hit.document.summary)}</p>
      </div>
      <div class="layer layer-parent">
        <header>
          <h4>{t.hitSection}</h4>
          {score(t, hit.parent.score)}
        </header>
        <p class="content">{clip(tidyText(hit.parent.content), 600)}</p>
      </div>
      <div class="layer layer-child">
        <h4>{t.hitPassages}</h4>
        <ol class="passages">
          {hit.children.map((ch) => (
            <li>
              <header>
                <a href={citationHref({ documentId: hit.document.id, childId: ch.id })}>#{ch.id.slice(0, 6)}</a>
                {score(t, ch.score, ch.reranked)}
              </header>
              <p class="content">{tidyText(ch.content)}</p>
            </li>
          ))}
        </ol>
      </div>
    </article>
  );
}

function Results({ t, result }: { t: Dict; result?: SearchResult }) {
  return (
    <div id="search-results" aria-live="polite">
      {result && (
        <>
          <p class="meta">{fmt(t.searchTook, { n: result.hits.length, ms: result.tookMs, mode: result.mode })}</p>
          {result.hits.length === 0 ? (
            <p class="empty">{t.searchNoHits}</p>
          ) : (
            result.hits.map((h) => <Hit t={t} hit={h} />)
          )}
        </>
      )}
    </div>
  );
}

function SearchFormView({ c, kbId, form }: { c: AdminContext; kbId: string; form: SearchForm }) {
  const t = c.get('t');
  const action = `/kbs/${kbId}/search`;
  return (
    <search>
      <form
        method="get"
        action={action}
        class="card stack"
        hx-get={action}
        hx-target="#search-results"
        hx-select="#search-results"
        hx-swap="outerHTML"
        hx-push-url="true"
      >
        <Field t={t} label={t.searchQuery} name="q" type="search" value={form.q} required maxlength={2000} />
        <fieldset class="modes">
          <legend>{t.searchMode}</legend>
          {searchModes.map((m) => (
            <label class="check">
              <input type="radio" name="mode" value={m} checked={form.mode === m} /> {t[modeLabels[m]]}
            </label>
          ))}
        </fieldset>
        <div class="inline-form">
          <label class="check">
            <input type="hidden" name="hybrid" value="off" />
            <input type="checkbox" name="hybrid" value="on" checked={form.hybrid} /> {t.searchHybrid}
          </label>
          <div class="field topk">
            <label for="f-topK">{t.searchTopK}</label>
            <input id="f-topK" type="number" name="topK" min={1} max={20} value={String(form.topK)} />
          </div>
          <button type="submit" class="primary">
            {t.searchButton}
          </button>
        </div>
      </form>
    </search>
  );
}

/** The search playground: every layer of each hit with its score, any mode, hybrid on or off. */
export function searchPages(deps: Deps) {
  return new Hono<AdminEnv>().get('/kbs/:kbId/search', async (c) => {
    const t = c.get('t');
    const who = c.get('principal');
    const kb = getKb(deps.db, who, c.req.param('kbId'));
    const form = { ...querySchema.parse(c.req.query()), hybrid: hybridOf(c.req.queries('hybrid')) };
    const result = form.q
      ? await search(deps, who, {
          kbId: kb.id,
          query: form.q,
          mode: form.mode,
          hybrid: form.hybrid,
          topK: form.topK,
        })
      : undefined;
    return fragmentOrPage(c, <Results t={t} result={result} />, () =>
      page(
        c,
        `${t.searchTitle} · ${kb.title}`,
        <>
          <KbHeader t={t} kb={kb} tab="search" />
          <div class="search-layout stack">
            <SearchFormView c={c} kbId={kb.id} form={form} />
            <Results t={t} result={result} />
          </div>
        </>,
      ),
    );
  });
}
