import { chunksAfter, chunkTexts, countChunks, documentStoredChunks, type StoredChunk } from '../db/chunk-index.ts';
import type { Db } from '../db/index.ts';
import type { Embedder } from '../embedder/index.ts';
import { embedChunks } from '../ingest/write-index.ts';
import type { Logger } from '../logger.ts';
import { chunkPoint, type VectorStore } from '../vector-store/index.ts';

const BATCH = 128;
/**
 * How often a document that keeps changing under a page is embedded again; after that its writer,
 * which writes its vectors again after its rows, has the last word.
 */
const MAX_ROUNDS = 3;

/** What a re-embedding writes with: the new model and its store. */
export interface BuildTarget {
  embedder: Embedder;
  store: VectorStore;
}

export interface FillContext {
  db: Db;
  logger: Logger;
  /** Aborted when the process closes: the fill stops after the page it is writing. */
  signal: AbortSignal;
  /** Called after each page with the share of chunks done (0 to 0.99). */
  onProgress(progress: number): void;
}

/**
 * Fills `target.store` with a vector for every chunk, in pages by rowid. Returns true when
 * every chunk is written, false when stopped. A page is checked against the rows after it is
 * written: a document deleted or changed while its page was being embedded has its vectors
 * removed and, when it still exists, embedded again from its current rows, so the new index
 * keeps nothing a delete or a reprocess removed meanwhile.
 */
export async function fillIndex(ctx: FillContext, target: BuildTarget): Promise<boolean> {
  const total = countChunks(ctx.db);
  let after = 0;
  let done = 0;
  for (;;) {
    if (ctx.signal.aborted) return false;
    const rows = chunksAfter(ctx.db, after, BATCH);
    const last = rows.at(-1);
    if (!last) return true;
    await writePage(ctx, target, rows, 0);
    after = last.rowid;
    done += rows.length;
    ctx.onProgress(Math.min(0.99, done / Math.max(total, 1)));
  }
}

async function writePage(ctx: FillContext, target: BuildTarget, rows: StoredChunk[], round: number): Promise<void> {
  const embedded = await embedChunks(target.embedder, rows);
  await target.store.upsert(embedded.map((r) => chunkPoint(r, r, r.vector)));
  const now = chunkTexts(
    ctx.db,
    rows.map((r) => r.id),
  );
  const changed = new Map<string, StoredChunk>();
  for (const r of rows) {
    const current = now.get(r.id);
    if (current?.content !== r.content || current.heading !== r.heading) changed.set(r.documentId, r);
  }
  for (const doc of changed.values()) {
    const current = documentStoredChunks(ctx.db, doc.documentId);
    if (current.length > 0 && round >= MAX_ROUNDS) {
      ctx.logger.warn({ documentId: doc.documentId }, 'document kept changing during re-embedding; left to its writer');
      continue;
    }
    // Its chunks of before, some of which may be gone, then its chunks of now.
    await target.store.deleteByDocument(doc.userId, doc.documentId);
    if (current.length > 0) await writePage(ctx, target, current, round + 1);
  }
}
