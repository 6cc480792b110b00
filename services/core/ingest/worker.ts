import type { Deps } from '../deps.ts';
import { runIngestJob } from './pipeline.ts';
import { reconcile } from './reconciler.ts';

export const RECONCILE_INTERVAL_MS = 60_000;

export interface RunningIngestWorker {
  /** Stops the reconciler; the queue's worker closes with `deps.close()`. */
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
 * Starts consuming the ingest queue in this process and the reconciler (once now, then
 * every minute) that re-enqueues documents a crash or a lost Redis left unfinished.
 */
export async function startIngestWorker(
  deps: Deps,
  opts: { reconcileIntervalMs?: number } = {},
): Promise<RunningIngestWorker> {
  const logger = deps.logger.child({ component: 'ingest-worker' });
  await deps.queue.startWorker(
    async (id, attempt) => {
      try {
        await runIngestJob({ ...deps, logger }, id, attempt);
      } finally {
        await releaseParserWhenDrained(deps);
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
  return { stop: () => clearInterval(timer) };
}
