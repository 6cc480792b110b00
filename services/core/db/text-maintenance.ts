import { setImmediate as yieldToLoop } from 'node:timers/promises';
import type { Deps } from '../deps.ts';
import {
  analyseChunks,
  documentChunks,
  mergeTextStep,
  rewriteDocumentText,
  staleTextDocuments,
  textSegments,
} from './chunk-index.ts';
import { writeTransaction } from './index.ts';
import { invalidateKb } from './kb-generation.ts';
import { chunkLayers } from './schema.ts';

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
 * When the ingest queue is quiet, a layer's full-text index is merged once it has more segments
 * than this. FTS5 adds a segment a written document and, left to itself, lets them grow to about
 * 16 before merging some; every word of a query is looked up in each (at 20k passages of the
 * haystack eval: 14 segments drill-down 14.7 / 25.5 ms p50 / p95, 6-9 segments 13.9 / 22.6,
 * one 12.2 / 20.7). Merging rewrites the whole layer (0.5 s of steps at 20k passages), so it
 * waits for a few documents rather than following each.
 */
export const MERGE_SEGMENTS = 4;

/**
 * Merges each layer's full-text index that has more than `above` segments (at start: more than
 * one) into one b-tree, a short write transaction a step with the event loop free between
 * (ingest goes on; searches read the index as it was until each step commits). Stops between
 * steps once `signal` is aborted. Returns the steps that did work.
 */
export async function compactText(deps: Pick<Deps, 'db' | 'logger'>, signal?: AbortSignal, above = 1): Promise<number> {
  const started = performance.now();
  let steps = 0;
  for (const layer of chunkLayers) {
    if (signal?.aborted || textSegments(deps.db, layer) <= above) continue;
    for (let first = true; !signal?.aborted; first = false) {
      if (!writeTransaction(deps.db, () => mergeTextStep(deps.db, layer, first))) break;
      steps++;
      await yieldToLoop();
    }
  }
  if (steps > 0) deps.logger.info({ steps, ms: Math.round(performance.now() - started) }, 'full-text index merged');
  return steps;
}
