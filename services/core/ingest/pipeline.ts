import { setImmediate as yieldToLoop } from 'node:timers/promises';
import { eq } from 'drizzle-orm';
import { documentExists } from '../db/chunk-index.ts';
import { tables } from '../db/index.ts';
import type { Deps } from '../deps.ts';
import type { JobAttempt } from '../queue/index.ts';
import { PermanentJobError } from '../queue/index.ts';
import { countTokens } from '../text/tokenize.ts';
import { chunkDocument, type ParentDraft } from './chunking.ts';
import { IngestError } from './errors.ts';
import { chunkId } from './ids.ts';
import { DocumentGoneError, markFailed, noteRetry, setProgress, startProcessing } from './progress.ts';
import { loadSource } from './source.ts';
import { summarize } from './summary.ts';
import { embedChunks, type IndexedChunk, replaceDocumentIndex } from './write-index.ts';

export type IngestDeps = Pick<
  Deps,
  'db' | 'storage' | 'parser' | 'embedder' | 'embeddingIndex' | 'chat' | 'config' | 'logger'
>;

/** More starts than this mean earlier runs died mid-way (killed, out of memory): stop trying. */
export const MAX_STARTS = 6;

/** Chunk rows without vectors: the summary, then each parent followed by its children. */
function layout(documentId: string, title: string, summary: string, parents: ParentDraft[]) {
  const rows: Array<Omit<IndexedChunk, 'vector'>> = [
    {
      id: chunkId(documentId, 'document', 0),
      parentId: null,
      layer: 'document',
      position: 0,
      heading: title,
      page: null,
      content: summary,
      tokenCount: countTokens(summary),
    },
  ];
  for (const p of parents) {
    const parentId = chunkId(documentId, 'parent', p.position);
    rows.push({
      id: parentId,
      parentId: null,
      layer: 'parent',
      position: p.position,
      heading: p.heading,
      page: p.page,
      content: p.content,
      tokenCount: p.tokenCount,
    });
    for (const c of p.children) {
      rows.push({
        id: chunkId(documentId, 'child', c.position),
        parentId,
        layer: 'child',
        position: c.position,
        heading: c.heading,
        page: c.page,
        content: c.content,
        tokenCount: c.tokenCount,
      });
    }
  }
  return rows;
}

/**
 * Ingests one document: parse, summarise, chunk, embed in batches, then replace its index.
 * Progress and stage are written as it goes. Safe to run again for the same document: chunk
 * ids are deterministic and the old index is replaced. Broken files throw IngestError.
 */
export async function processDocument(deps: IngestDeps, documentId: string): Promise<void> {
  const { db, logger } = deps;
  const doc = db.orm.select().from(tables.documents).where(eq(tables.documents.id, documentId)).get();
  if (!doc) return;
  if (doc.status === 'processing' && doc.attempts >= MAX_STARTS) {
    markFailed(db, documentId, `Processing was interrupted ${doc.attempts} times; the file may be too large to index`);
    logger.warn({ documentId, attempts: doc.attempts }, 'document given up after repeated interrupted runs');
    return;
  }
  if (!startProcessing(db, documentId)) return;
  const started = performance.now();
  const kb = db.orm
    .select({ ocrLanguage: tables.knowledgeBases.ocrLanguage })
    .from(tables.knowledgeBases)
    .where(eq(tables.knowledgeBases.id, doc.kbId))
    .get();
  const input = await loadSource(deps, doc);
  const parsed = await deps.parser.parse(input.kind, input.bytes, {
    ocrLanguage: kb?.ocrLanguage,
    mainContent: input.mainContent,
    // OCR takes most of a scan's time: its pages move progress from 2 to 14 %. A document
    // deleted meanwhile is noticed at the next stage.
    onOcrProgress: (done, total) => {
      try {
        setProgress(db, documentId, 'ocr', 2 + (12 * done) / total);
      } catch {}
    },
  });
  const title = parsed.title ?? doc.fileName.replace(/\.[^.]+$/, '');

  setProgress(db, documentId, 'summarizing', 15);
  const { summary, source } = await summarize(deps, title, parsed.blocks);

  setProgress(db, documentId, 'chunking', 30);
  await yieldToLoop();
  const parents = chunkDocument(parsed.blocks);
  if (parents.every((p) => p.children.length === 0)) throw new IngestError('The file contains no text to index');
  const rows = layout(documentId, title, summary, parents);

  setProgress(db, documentId, 'embedding', 40);
  const chunks = await embedChunks(deps.embedder, rows, (share) =>
    setProgress(db, documentId, 'embedding', 40 + 50 * share),
  );

  setProgress(db, documentId, 'indexing', 90);
  const written = await replaceDocumentIndex(deps, {
    documentId,
    userId: doc.userId,
    kbId: doc.kbId,
    title,
    summary,
    chunks,
  });
  if (!written) throw new DocumentGoneError(documentId);
  logger.info(
    {
      documentId,
      parents: parents.length,
      children: chunks.length - parents.length - 1,
      summary: source,
      ms: Math.round(performance.now() - started),
    },
    'document ingested',
  );
}

/**
 * The queue handler: runs the pipeline and turns failures into document state. A broken file
 * or the last attempt ends `failed` with a readable error; earlier attempts are retried.
 */
export async function runIngestJob(deps: IngestDeps, documentId: string, attempt: JobAttempt): Promise<void> {
  try {
    await processDocument(deps, documentId);
  } catch (err) {
    const gone = !documentExists(deps.db, documentId);
    if (err instanceof DocumentGoneError || gone) {
      deps.logger.info({ documentId }, 'document deleted while processing');
      return;
    }
    const reason = err instanceof Error ? err.message : String(err);
    if (err instanceof PermanentJobError || attempt.attempt >= attempt.maxAttempts) {
      markFailed(deps.db, documentId, err instanceof PermanentJobError ? reason : `Processing failed: ${reason}`);
    } else {
      noteRetry(
        deps.db,
        documentId,
        `Attempt ${attempt.attempt} of ${attempt.maxAttempts} failed (${reason}); retrying`,
      );
    }
    throw err;
  }
}
