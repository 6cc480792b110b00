import { analyseChunks, type ChunkRow, writeDocumentChunks } from '../db/chunk-index.ts';
import { writeTransaction } from '../db/index.ts';
import type { Deps } from '../deps.ts';
import { invalidateKb } from '../search/generation.ts';
import type { VectorPoint } from '../vector-store/index.ts';

/** One chunk row ready to write, with its vector. */
export interface IndexedChunk extends ChunkRow {
  vector: Float32Array;
}

export interface DocumentIndex {
  documentId: string;
  userId: string;
  kbId: string;
  title: string;
  summary: string;
  chunks: IndexedChunk[];
}

const UPSERT_BATCH = 256;

/**
 * Replaces a document's index: its vectors first (old ones deleted by document, new ones
 * upserted by deterministic id), then chunks, FTS rows and the `completed` row in one short
 * SQLite transaction. Returns false, leaving nothing behind, if the document was deleted meanwhile.
 */
export async function replaceDocumentIndex(deps: Pick<Deps, 'db' | 'vectors' | 'embedder'>, index: DocumentIndex) {
  const { db, vectors } = deps;
  await vectors.deleteByDocument(index.userId, index.documentId);
  const points: VectorPoint[] = index.chunks.map((c) => ({
    id: c.id,
    vector: c.vector,
    userId: index.userId,
    kbId: index.kbId,
    documentId: index.documentId,
    parentId: c.parentId,
    layer: c.layer,
  }));
  for (let i = 0; i < points.length; i += UPSERT_BATCH) await vectors.upsert(points.slice(i, i + UPSERT_BATCH));

  // Segmenting is the slow part: done before the write lock is taken.
  const analysed = analyseChunks(index.chunks);
  const owner = { userId: index.userId, kbId: index.kbId, documentId: index.documentId };
  const written = writeTransaction(db, () => {
    const exists = db.sqlite.prepare('SELECT 1 FROM documents WHERE id = ?').get(index.documentId);
    if (!exists) return false;
    writeDocumentChunks(db, owner, index.chunks, analysed);
    const counts = { parent: 0, child: 0 };
    for (const c of index.chunks) if (c.layer !== 'document') counts[c.layer]++;
    db.sqlite
      .prepare(
        `UPDATE documents SET status = 'completed', stage = NULL, progress = 100, error = NULL, summary = ?, title = ?,
           parent_count = ?, child_count = ?, embedding_model = ?, completed_at = ?, updated_at = ? WHERE id = ?`,
      )
      .run(
        index.summary,
        index.title,
        counts.parent,
        counts.child,
        deps.embedder.model,
        Date.now(),
        Date.now(),
        index.documentId,
      );
    invalidateKb(deps, index.kbId);
    return true;
  });
  if (!written) await vectors.deleteByDocument(index.userId, index.documentId);
  return written;
}
