import type { Logger } from '../logger.ts';
import {
  backoffDelay,
  DEFAULT_RETRY,
  type FailedJob,
  type IngestHandler,
  type IngestQueue,
  PermanentJobError,
  type RetryPolicy,
} from './index.ts';

const MAX_FAILED_KEPT = 1000;

/**
 * The in-process queue for `npm start`: jobs live in memory (the documents table is the
 * source of truth, so a restart loses nothing), a concurrency limit, retries with
 * exponential backoff and failed jobs kept for inspection, like the BullMQ queue.
 */
export function createMemoryQueue(opts: { logger: Logger; retry?: Partial<RetryPolicy> }): IngestQueue {
  const policy: RetryPolicy = { ...DEFAULT_RETRY, ...opts.retry };
  const waiting: string[] = [];
  const active = new Map<string, Promise<void>>();
  const delayed = new Map<string, NodeJS.Timeout>();
  const failed = new Map<string, FailedJob>();
  const attemptsMade = new Map<string, number>();
  let completed = 0;
  let handler: IngestHandler | undefined;
  let concurrency = 1;
  let closed = false;

  const has = (id: string) => waiting.includes(id) || active.has(id) || delayed.has(id) || failed.has(id);

  const pump = () => {
    while (handler && !closed && active.size < concurrency && waiting.length > 0) {
      const id = waiting.shift();
      if (id !== undefined) active.set(id, run(handler, id));
    }
  };

  const run = async (fn: IngestHandler, id: string) => {
    const attempt = (attemptsMade.get(id) ?? 0) + 1;
    attemptsMade.set(id, attempt);
    try {
      await fn(id, { attempt, maxAttempts: policy.attempts });
      completed++;
      attemptsMade.delete(id);
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      const permanent = err instanceof PermanentJobError;
      if (permanent || attempt >= policy.attempts || closed) {
        opts.logger.warn({ documentId: id, attempt, err: message }, 'ingest job failed');
        failed.set(id, { documentId: id, error: message, attempts: attempt, failedAt: Date.now() });
        attemptsMade.delete(id);
        if (failed.size > MAX_FAILED_KEPT) failed.delete(failed.keys().next().value ?? '');
      } else {
        opts.logger.info({ documentId: id, attempt, err: message }, 'ingest job will be retried');
        const timer = setTimeout(
          () => {
            delayed.delete(id);
            waiting.push(id);
            pump();
          },
          backoffDelay(policy, attempt),
        );
        timer.unref();
        delayed.set(id, timer);
      }
    } finally {
      active.delete(id);
      pump();
    }
  };

  const enqueue = async (documentId: string) => {
    if (closed || has(documentId)) return;
    waiting.push(documentId);
    pump();
  };

  return {
    kind: 'memory',
    enqueue,
    async startWorker(fn, workerOpts) {
      handler = fn;
      concurrency = Math.max(1, workerOpts?.concurrency ?? 1);
      pump();
    },
    async counts() {
      return { waiting: waiting.length, active: active.size, completed, failed: failed.size, delayed: delayed.size };
    },
    async failedJobs(limit = 50) {
      return [...failed.values()].reverse().slice(0, limit);
    },
    async retry(documentId) {
      failed.delete(documentId);
      await enqueue(documentId);
    },
    async health() {
      return { ok: !closed, detail: closed ? 'closed' : `in-process, ${active.size} active` };
    },
    async close() {
      closed = true;
      for (const timer of delayed.values()) clearTimeout(timer);
      delayed.clear();
      waiting.length = 0;
      await Promise.allSettled(active.values());
    },
  };
}
