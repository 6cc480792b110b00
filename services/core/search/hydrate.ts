import type { Db } from '../db/index.ts';
import type { DocumentMetadata } from '../db/schema.ts';
import type { HitIds } from './retrieve.ts';
import type { SearchHit } from './types.ts';

const placeholders = (n: number) => Array.from({ length: n }, () => '?').join(',');

/**
 * Loads file names, summaries and chunk text for ranked ids. Rows that vanished since the
 * vectors were written (a document deleted mid-query) drop out instead of failing.
 */
export function hydrate(db: Db, userId: string, kbId: string, hits: HitIds[]): SearchHit[] {
  if (hits.length === 0) return [];
  const docIds = [...new Set(hits.map((h) => h.document.id))];
  const chunkIds = [...new Set(hits.flatMap((h) => [h.parent.id, ...h.children.map((c) => c.id)]))];
  const docs = db.sqlite
    .prepare(
      `SELECT d.id, d.file_name, d.metadata, coalesce(d.summary, s.content, '') AS summary FROM documents d
       LEFT JOIN chunks s ON s.document_id = d.id AND s.layer = 'document'
       WHERE d.id IN (${placeholders(docIds.length)}) AND +d.user_id = ? AND +d.kb_id = ?`,
    )
    .all(...docIds, userId, kbId) as Array<{ id: string; file_name: string; metadata: string; summary: string }>;
  const chunks = db.sqlite
    .prepare(`SELECT id, content FROM chunks WHERE id IN (${placeholders(chunkIds.length)}) AND +kb_id = ?`)
    .all(...chunkIds, kbId) as Array<{ id: string; content: string }>;
  const docById = new Map(docs.map((d) => [d.id, d]));
  const text = new Map(chunks.map((c) => [c.id, c.content]));
  const out: SearchHit[] = [];
  for (const hit of hits) {
    const doc = docById.get(hit.document.id);
    const parentText = text.get(hit.parent.id);
    if (!doc || parentText === undefined) continue;
    out.push({
      document: {
        id: doc.id,
        fileName: doc.file_name,
        summary: doc.summary,
        score: hit.document.score,
        metadata: JSON.parse(doc.metadata) as DocumentMetadata,
      },
      parent: { id: hit.parent.id, content: parentText, score: hit.parent.score },
      children: hit.children.flatMap((c) => {
        const content = text.get(c.id);
        return content === undefined ? [] : [{ id: c.id, content, score: c.score, signals: c.signals }];
      }),
    });
  }
  return out;
}
