import { compactText, MERGE_SEGMENTS } from '../db/text-maintenance.ts';
import type { Deps } from '../deps.ts';
import type { Logger } from '../logger.ts';
import { runIngestJob } from './pipeline.ts';
import { reconcile } from './reconciler.ts';

export const RECONCILE_INTERVAL_MS = 60_000;
/** How long the queue stays empty before the worker merges the full-text index. */
export const MERGE_QUIET_MS = 30_000;

export interface RunningIngestWorker {
  /** Stops the reconciler and any merge of the full-text index; the queue's worker closes with `deps.close()`. */
  stop(): void;
}

/**
 * Ends the parsing process (10 MB and more) once no document waits for it; the idle timeout
 * (PARSE_IDLE_MS) covers the rest. Counting the queue is best effort.
 */
async function releaseParserWhenDrained(deps: Pick<Deps, 'queue' | 'parser'>): Promise<void> {
  const counts = await deps.queue.counts().catch(() => undefined);
  if (counts?.waiting === 0) deps.parser.release();
}

/**
 * Merges the full-text index once no job has run in this worker for `quietMs` and the queue
 * holds none (each written document adds a segment that every search looks through). A job
 * that starts stops the merge at its next step; the next quiet spell goes on from there.
 */
function mergeWhenQuiet(deps: Deps, logger: Logger, quietMs: number) {
  let active = 0;
  let timer: NodeJS.Timeout | undefined;
  let merging: AbortController | undefined;
  let stopped = false;
  const merge = async () => {
    timer = undefined;
    const counts = await deps.queue.counts().catch(() => undefined);
    if (!counts || counts.waiting + counts.active + counts.delayed > 0 || active > 0 || stopped) return;
    const controller = new AbortController();
    merging = controller;
    try {
      await compactText(
        { ...deps, logger },
        AbortSignal.any([controller.signal, deps.embeddingIndex.signal]),
        MERGE_SEGMENTS,
      );
    } catch (err) {
      logger.warn({ err: err instanceof Error ? err.message : String(err) }, 'full-text merge failed');
    } finally {
      if (merging === controller) merging = undefined;
    }
  };
  const cancel = () => {
    clearTimeout(timer);
    timer = undefined;
    merging?.abort();
  };
  return {
    jobStarted() {
      active++;
      cancel();
    },
    jobEnded() {
      active--;
      if (active > 0 || stopped) return;
      timer = setTimeout(merge, quietMs);
      timer.unref();
    },
    stop() {
      stopped = true;
      cancel();
    },
  };
}

/**
 * Starts consuming the ingest queue in this process, the reconciler (once now, then every
 * minute) that re-enqueues documents a crash or a lost Redis left unfinished, and the merge
 * of the full-text index when the queue has been quiet for `mergeQuietMs`.
 */
export async function startIngestWorker(
  deps: Deps,
  opts: { reconcileIntervalMs?: number; mergeQuietMs?: number } = {},
): Promise<RunningIngestWorker> {
  const logger = deps.logger.child({ component: 'ingest-worker' });
  const quiet = mergeWhenQuiet(deps, logger, opts.mergeQuietMs ?? MERGE_QUIET_MS);
  await deps.queue.startWorker(
    async (id, attempt) => {
      quiet.jobStarted();
      try {
        await runIngestJob({ ...deps, logger }, id, attempt);
      } finally {
        await releaseParserWhenDrained(deps);
        quiet.jobEnded();
      }
    },
    { concurrency: deps.config.INGEST_CONCURRENCY },
  );
  const run = () =>
    reconcile(deps).catch((err: unknown) =>
      logger.warn({ err: err instanceof Error ? err.message : String(err) }, 'reconciler failed; will try again'),
    );
  await run();
  const timer = setInterval(run, opts.reconcileIntervalMs ?? RECONCILE_INTERVAL_MS);
  timer.unref();
  logger.info({ queue: deps.queue.kind, concurrency: deps.config.INGEST_CONCURRENCY }, 'ingest worker started');
  return {
    stop: () => {
      clearInterval(timer);
      quiet.stop();
    },
  };
}
