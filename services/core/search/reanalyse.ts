import { setImmediate as yieldToLoop } from 'node:timers/promises';
import {
  analyseChunks,
  documentChunks,
  mergeTextStep,
  rewriteDocumentText,
  staleTextDocuments,
} from '../db/chunk-index.ts';
import { writeTransaction } from '../db/index.ts';
import { invalidateKb } from '../db/kb-generation.ts';
import { chunkLayers } from '../db/schema.ts';
import type { Deps } from '../deps.ts';

const BATCH = 20;

/**
 * Rewrites the full-text rows of documents indexed by an older text analysis, from the chunk
 * text already stored: one short write transaction per document, the event loop free between
 * them. Safe to run in several processes at once (each rewrite replaces the whole document's
 * rows). Stops between documents once `signal` is aborted. Returns how many documents were rewritten.
 */
export async function reanalyseStaleText(deps: Pick<Deps, 'db' | 'logger'>, signal?: AbortSignal): Promise<number> {
  let done = 0;
  while (!signal?.aborted) {
    const stale = staleTextDocuments(deps.db, BATCH);
    if (stale.length === 0) break;
    if (done === 0) deps.logger.info('re-analysing the full text of documents indexed by an older version');
    for (const owner of stale) {
      const rows = documentChunks(deps.db, owner.documentId);
      const analysed = analyseChunks(rows);
      writeTransaction(deps.db, () => {
        rewriteDocumentText(deps.db, owner, rows, analysed);
        invalidateKb(deps.db, owner.kbId);
      });
      done++;
      await yieldToLoop();
      if (signal?.aborted) break;
    }
  }
  if (done > 0) deps.logger.info({ documents: done }, 'full text re-analysed');
  return done;
}

/**
 * Merges each layer's full-text index into one b-tree, a short write transaction a step with
 * the event loop free between (ingest goes on; searches read the index as it was until each
 * step commits). Stops between steps once `signal` is aborted. Returns the steps that did work.
 */
export async function compactText(deps: Pick<Deps, 'db' | 'logger'>, signal?: AbortSignal): Promise<number> {
  const started = performance.now();
  let steps = 0;
  for (const layer of chunkLayers) {
    for (let first = true; !signal?.aborted; first = false) {
      if (!writeTransaction(deps.db, () => mergeTextStep(deps.db, layer, first))) break;
      steps++;
      await yieldToLoop();
    }
  }
  if (steps > 0) deps.logger.info({ steps, ms: Math.round(performance.now() - started) }, 'full-text index merged');
  return steps;
}
