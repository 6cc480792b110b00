import { setImmediate as yieldToLoop } from 'node:timers/promises';
import { analyseChunks, type ChunkRow, completeDocumentIndex } from '../db/chunk-index.ts';
import { writeTransaction } from '../db/index.ts';
import { invalidateKb } from '../db/kb-generation.ts';
import type { Deps } from '../deps.ts';
import type { Embedder } from '../embedder/index.ts';
import { embeddingText } from './embedding-text.ts';

/** One chunk row ready to write, with its vector. */
export interface IndexedChunk extends ChunkRow {
  vector: Float32Array;
}

const EMBED_BATCH = 64;

/**
 * Embeds chunk rows in batches, the event loop free between them; `onBatch` hears the share
 * done (0 to 1) after each.
 */
export async function embedChunks<T extends Pick<ChunkRow, 'layer' | 'heading' | 'content'>>(
  embedder: Embedder,
  rows: T[],
  onBatch?: (share: number) => void,
): Promise<Array<T & { vector: Float32Array }>> {
  const out: Array<T & { vector: Float32Array }> = [];
  for (let i = 0; i < rows.length; i += EMBED_BATCH) {
    const batch = rows.slice(i, i + EMBED_BATCH);
    const vectors = await embedder.embed(batch.map(embeddingText));
    batch.forEach((row, j) => {
      const vector = vectors[j];
      if (!vector) throw new Error(`embedder returned ${vectors.length} vectors for ${batch.length} texts`);
      out.push({ ...row, vector });
    });
    onBatch?.(out.length / rows.length);
    await yieldToLoop();
  }
  return out;
}

export interface DocumentIndex {
  documentId: string;
  userId: string;
  kbId: string;
  title: string;
  summary: string;
  chunks: IndexedChunk[];
}

/**
 * Replaces a document's index: its vectors in every embedding index (see
 * `EmbeddingIndex.replaceDocument`), then chunks, FTS rows and the `completed` row in one short
 * SQLite transaction. Returns false, leaving nothing behind, if the document was deleted meanwhile.
 */
export async function replaceDocumentIndex(
  deps: Pick<Deps, 'db' | 'embeddingIndex' | 'embedder'>,
  index: DocumentIndex,
): Promise<boolean> {
  const { db } = deps;
  // Segmenting is the slow part: done before the write lock is taken.
  const analysed = analyseChunks(index.chunks);
  const owner = { userId: index.userId, kbId: index.kbId, documentId: index.documentId };
  const done = { title: index.title, summary: index.summary, embeddingModel: deps.embedder.model };
  return deps.embeddingIndex.replaceDocument({ ...owner, chunks: index.chunks }, () =>
    writeTransaction(db, () => {
      const written = completeDocumentIndex(db, owner, index.chunks, analysed, done);
      if (written) invalidateKb(db, index.kbId);
      return written;
    }),
  );
}
