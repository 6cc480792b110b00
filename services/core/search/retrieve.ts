import { childCounts } from '../db/chunk-index.ts';
import { type LayerContext, rankLayer, type Scored } from './evidence.ts';
import { DEFAULT_POLICY, type DrillShape, type RetrievalPolicy } from './policy.ts';
import type { SearchMode, PassageSignals as Signals } from './types.ts';

/** A hit before its text is loaded: ids and scores only. */
export interface HitIds {
  document: { id: string; score: number };
  parent: { id: string; score: number };
  children: Array<{ id: string; score: number; signals: Signals }>;
}

/** Ranks the KB's chunks for one query in the given mode. */
export async function retrieveIds(
  ctx: LayerContext,
  mode: SearchMode,
  topK: number,
  policy: RetrievalPolicy = DEFAULT_POLICY,
): Promise<HitIds[]> {
  if (mode === 'flat') return flat(ctx, topK, policy);
  return drill(ctx, topK, policy, mode === 'drill-down' ? policy.drillDown : policy.relaxed);
}

/** Sections scored to label flat hits: all sections of the documents involved, up to this many. */
const FLAT_PARENT_SCAN = 1000;

/** Scores by id for quick lookup. */
const byId = (list: Scored[]) => new Map(list.map((s) => [s.id, s]));
const unique = (ids: string[]) => [...new Set(ids)];

/** What each layer says before any passage is read in full. */
interface Evidence {
  documents: Map<string, Scored>;
  parents: Map<string, Scored>;
  children: Scored[];
}

/**
 * Documents by their summaries; passages by BM25 across the KB (and by vector too when the
 * store has an index for that, or the KB is small enough to scan); sections by BM25 and by
 * vector inside the documents the other two layers point at.
 */
async function gather(ctx: LayerContext, policy: RetrievalPolicy): Promise<Evidence> {
  const { pools } = policy;
  const all = (limit: number) => ({ text: { limit }, vector: { limit } });
  const documents = await rankLayer(ctx, 'document', all(pools.document));
  const wide =
    ctx.store.fastWideSearch({ userId: ctx.userId, kbId: ctx.kbId, layer: 'child' }) ||
    ctx.passages.kb <= policy.wideVectorChildren;
  const children = await rankLayer(ctx, 'child', {
    text: { limit: pools.child },
    vector: { limit: wide ? pools.child : 0 },
  });
  const pointedAt = unique([
    ...documents.slice(0, policy.relaxed.documents).map((d) => d.documentId),
    ...children.slice(0, pools.document).map((c) => c.documentId),
  ]);
  // Sections inside the documents a summary or a top passage points at, by both rankings: a
  // section that only its own BM25 found adds at most `sectionWeight + documentWeight` and is
  // never chosen over those (same answers on `npm run eval`; at 100k passages BM25 across the
  // KB's sections took 3.3 / 9.5 ms at p50 / p95, inside these documents 1.6 / 7.5).
  const within = { documentIds: pointedAt };
  const parents = await rankLayer(ctx, 'parent', {
    text: { limit: pools.parent, within },
    vector: { limit: pools.parent, within },
  });
  return { documents: new Map(documents.map((d) => [d.documentId, d])), parents: byId(parents), children };
}

/** Keeps the best items while they stay within `keep` of the best one, at most `max`. */
function select<T>(ranked: Array<{ item: T; score: number }>, max: number, keep: number): T[] {
  const best = ranked[0]?.score ?? 0;
  return ranked.filter((r, i) => i === 0 || (i < max && r.score >= keep * best)).map((r) => r.item);
}

const sortDesc = <T>(map: Map<T, number>) =>
  [...map.entries()].map(([item, score]) => ({ item, score })).sort((a, b) => b.score - a.score);

/**
 * Coarse to fine on the evidence of every layer: documents ranked by their summary and by the
 * best section and passage inside them; the best documents' sections ranked the same way; the
 * passages of the best sections read in full and ranked with what their section and document
 * add. Sections are added until they hold `topK` passages, so a narrow choice still answers.
 */
async function drill(ctx: LayerContext, topK: number, policy: RetrievalPolicy, shape: DrillShape): Promise<HitIds[]> {
  const ev = await gather(ctx, policy);
  const a = policy.sectionWeight;
  const b = policy.documentWeight;
  const docPart = (documentId: string) => b * (ev.documents.get(documentId)?.score ?? 0);
  const sectionPart = (parentId: string | null) => (parentId ? a * (ev.parents.get(parentId)?.score ?? 0) : 0);

  const sections = new Map<string, { documentId: string; score: number }>();
  const raise = (parentId: string, documentId: string, score: number) => {
    const seen = sections.get(parentId);
    if (!seen || seen.score < score) sections.set(parentId, { documentId, score });
  };
  for (const p of ev.parents.values()) raise(p.id, p.documentId, sectionPart(p.id) + docPart(p.documentId));
  for (const c of ev.children) {
    if (c.parentId) raise(c.parentId, c.documentId, c.score + sectionPart(c.parentId) + docPart(c.documentId));
  }
  const docScores = new Map<string, number>();
  for (const [documentId, d] of ev.documents) docScores.set(documentId, b * d.score);
  for (const s of sections.values()) docScores.set(s.documentId, Math.max(docScores.get(s.documentId) ?? 0, s.score));
  const rankedDocs = sortDesc(docScores);
  if (rankedDocs.length === 0) return [];

  const chosenDocs = new Set(select(rankedDocs, shape.documents, shape.keep));
  const ranked = sortDesc(new Map([...sections].map(([id, s]) => [id, s.score])));
  const inChosen = ranked.filter((r) => chosenDocs.has(sections.get(r.item)?.documentId ?? ''));
  const chosen = select(inChosen, shape.sections, shape.keep);
  // Not enough passages in the chosen sections: the next best sections join, wherever they are.
  const counts = childCounts(
    ctx.db,
    ranked.slice(0, shape.sections * 4).map((r) => r.item),
  );
  let passages = chosen.reduce((n, id) => n + (counts.get(id) ?? 0), 0);
  for (const r of [...inChosen, ...ranked]) {
    if (passages >= topK) break;
    if (chosen.includes(r.item)) continue;
    chosen.push(r.item);
    passages += counts.get(r.item) ?? 0;
  }
  if (chosen.length === 0) return [];

  const within = { parentIds: chosen };
  const read = await rankLayer(ctx, 'child', {
    text: { limit: passages, within },
    vector: { limit: passages, within },
  });
  const scored = read
    .map((c) => {
      const signals: Signals = {
        text: c.text,
        vector: c.vector,
        section: sectionPart(c.parentId),
        document: docPart(c.documentId),
      };
      return { c, signals, score: c.score + signals.section + signals.document };
    })
    .sort((x, y) => y.score - x.score)
    .slice(0, topK);
  return group(
    scored.map(({ c, signals, score }) => ({
      id: c.id,
      documentId: c.documentId,
      parentId: c.parentId,
      score,
      signals,
    })),
    (id) => docScores.get(id) ?? 0,
    (id) => sections.get(id)?.score ?? 0,
  );
}

/** Top-k passages across the KB on their own evidence, grouped under their sections. */
async function flat(ctx: LayerContext, topK: number, policy: RetrievalPolicy): Promise<HitIds[]> {
  const { pools } = policy;
  const limit = Math.max(topK, pools.child);
  const children = (await rankLayer(ctx, 'child', { text: { limit }, vector: { limit } })).slice(0, topK);
  if (children.length === 0) return [];
  const documentIds = unique(children.map((c) => c.documentId));
  const parentIds = unique(children.flatMap((c) => (c.parentId ? [c.parentId] : [])));
  const docWithin = { limit: documentIds.length, within: { documentIds } };
  // A section's vector is found through its document: its own id is not a filterable field.
  const [docs, parents] = await Promise.all([
    rankLayer(ctx, 'document', { text: docWithin, vector: docWithin }),
    rankLayer(ctx, 'parent', {
      text: { limit: parentIds.length, within: { parentIds } },
      vector: { limit: FLAT_PARENT_SCAN, within: { documentIds } },
    }),
  ]);
  const docScores = new Map(docs.map((d) => [d.documentId, d.score]));
  const parentScores = new Map(parents.map((p) => [p.id, p.score]));
  return group(
    children.map((c) => ({ ...c, signals: { text: c.text, vector: c.vector, section: 0, document: 0 } })),
    (id) => docScores.get(id) ?? 0,
    (id) => parentScores.get(id) ?? 0,
  );
}

/** One hit per section, in the order of each section's best passage. */
function group(
  children: Array<{ id: string; documentId: string; parentId: string | null; score: number; signals: Signals }>,
  docScore: (documentId: string) => number,
  sectionScore: (parentId: string) => number,
): HitIds[] {
  const hits = new Map<string, HitIds>();
  for (const child of children) {
    if (!child.parentId) continue;
    let hit = hits.get(child.parentId);
    if (!hit) {
      hit = {
        document: { id: child.documentId, score: docScore(child.documentId) },
        parent: { id: child.parentId, score: sectionScore(child.parentId) },
        children: [],
      };
      hits.set(child.parentId, hit);
    }
    hit.children.push({ id: child.id, score: child.score, signals: child.signals });
  }
  return [...hits.values()];
}
