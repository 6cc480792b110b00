import { type LayerContext, rankLayer, scoreOf } from './layers.ts';
import type { Ranked } from './rrf.ts';
import type { SearchMode } from './types.ts';

/** A hit before its text is loaded: ids and scores only. */
export interface HitIds {
  document: { id: string; score: number };
  parent: { id: string; score: number };
  children: Array<{ id: string; score: number }>;
}

/** How many documents and parents the relaxed drill-down keeps before going one layer down. */
const RELAXED_DOCUMENTS = 3;
/** Parents scored to label flat hits: all parents of the documents involved, up to this many. */
const FLAT_PARENT_SCAN = 1000;
const relaxedParents = (topK: number) => Math.max(3, Math.ceil(topK / 2) + 1);

/** Ranks the KB's chunks for one query in the given mode. */
export async function retrieveIds(ctx: LayerContext, mode: SearchMode, topK: number): Promise<HitIds[]> {
  if (mode === 'drill-down') return drillDown(ctx, topK);
  if (mode === 'drill-down-relaxed') return relaxed(ctx, topK);
  return flat(ctx, topK);
}

/** Best document by its summary, best parent inside it, top-k children inside that parent. */
async function drillDown(ctx: LayerContext, topK: number): Promise<HitIds[]> {
  const [doc] = await rankLayer(ctx, 'document', {}, 1);
  if (!doc) return [];
  const [parent] = await rankLayer(ctx, 'parent', { documentIds: [doc.documentId] }, 1);
  if (!parent) return [];
  const children = await rankLayer(ctx, 'child', { parentIds: [parent.id] }, topK);
  return [
    {
      document: { id: doc.documentId, score: doc.score },
      parent: { id: parent.id, score: parent.score },
      children: children.map(({ id, score }) => ({ id, score })),
    },
  ];
}

/** Top documents, top parents across them, top children across those parents; flat when a layer is empty. */
async function relaxed(ctx: LayerContext, topK: number): Promise<HitIds[]> {
  const docs = await rankLayer(ctx, 'document', {}, RELAXED_DOCUMENTS);
  if (docs.length === 0) return flat(ctx, topK);
  const parents = await rankLayer(ctx, 'parent', { documentIds: docs.map((d) => d.documentId) }, relaxedParents(topK));
  if (parents.length === 0) return flat(ctx, topK);
  const children = await rankLayer(ctx, 'child', { parentIds: parents.map((p) => p.id) }, topK);
  if (children.length === 0) return flat(ctx, topK);
  const docScores = new Map(docs.map((d) => [d.documentId, d]));
  const parentScores = new Map(parents.map((p) => [p.id, p]));
  return group(children, docScores, parentScores);
}

/** Top-k children across the KB, grouped under their parents. */
async function flat(ctx: LayerContext, topK: number): Promise<HitIds[]> {
  const children = await rankLayer(ctx, 'child', {}, topK);
  if (children.length === 0) return [];
  const documentIds = unique(children.map((c) => c.documentId));
  // Parents are found by their documents: a parent's own id is not a filterable field.
  const [parentScores, docScores] = await Promise.all([
    scoreOf(ctx, 'parent', { documentIds }, FLAT_PARENT_SCAN),
    scoreOf(ctx, 'document', { documentIds }, documentIds.length),
  ]);
  return group(children, docScores, parentScores);
}

/** One hit per parent, in the order of each parent's best child. */
function group(children: Ranked[], docScores: Map<string, Ranked>, parentScores: Map<string, Ranked>): HitIds[] {
  const hits = new Map<string, HitIds>();
  for (const child of children) {
    if (!child.parentId) continue;
    let hit = hits.get(child.parentId);
    if (!hit) {
      hit = {
        document: { id: child.documentId, score: docScores.get(child.documentId)?.score ?? 0 },
        parent: { id: child.parentId, score: parentScores.get(child.parentId)?.score ?? 0 },
        children: [],
      };
      hits.set(child.parentId, hit);
    }
    hit.children.push({ id: child.id, score: child.score });
  }
  return [...hits.values()];
}

function unique(values: string[]): string[] {
  return [...new Set(values)];
}
