import { documentHeadings, kbChunkContents } from '../db/chunk-index.ts';
import type { Db } from '../db/index.ts';
import type { HitIds } from './retrieve.ts';
import type { SearchHit } from './types.ts';

/**
 * Loads file names, summaries and chunk text for ranked ids. Rows that vanished since the
 * vectors were written (a document deleted mid-query) drop out instead of failing.
 */
export function hydrate(db: Db, userId: string, kbId: string, hits: HitIds[]): SearchHit[] {
  if (hits.length === 0) return [];
  const docs = documentHeadings(db, userId, kbId, [...new Set(hits.map((h) => h.document.id))]);
  const chunkIds = [...new Set(hits.flatMap((h) => [h.parent.id, ...h.children.map((c) => c.id)]))];
  const text = kbChunkContents(db, kbId, chunkIds);
  const out: SearchHit[] = [];
  for (const hit of hits) {
    const doc = docs.get(hit.document.id);
    const parentText = text.get(hit.parent.id);
    if (!doc || parentText === undefined) continue;
    out.push({
      document: { ...doc, score: hit.document.score },
      parent: { id: hit.parent.id, content: parentText, score: hit.parent.score },
      children: hit.children.flatMap((c) => {
        const content = text.get(c.id);
        return content === undefined ? [] : [{ id: c.id, content, score: c.score, signals: c.signals }];
      }),
    });
  }
  return out;
}
