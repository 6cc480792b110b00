import { Queue, UnrecoverableError, Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Config } from '../config.ts';
import type { Logger } from '../logger.ts';
import { createRedis, pingRedis } from '../redis.ts';
import { DEFAULT_RETRY, type IngestQueue, type JobState, PermanentJobError, type RetryPolicy } from './index.ts';
import { checkEvictionPolicy } from './redis-policy.ts';

export interface BullmqQueueOptions {
  config: Pick<Config, 'REDIS_URL' | 'REDIS_TLS_CA_FILE'>;
  logger: Logger;
  /** Queue name; tests use a unique one. */
  name?: string;
  prefix?: string;
  retry?: Partial<RetryPolicy>;
  /** How long a job stays locked to a worker that stopped answering (then it is retaken). */
  lockDurationMs?: number;
  stalledIntervalMs?: number;
}

interface JobData {
  documentId: string;
}

/**
 * The ingest queue on Redis. Job id = document id, so enqueueing twice is harmless; failed
 * jobs are kept for inspection; completed ones removed so a document can be queued again.
 */
export function createBullmqQueue(opts: BullmqQueueOptions): IngestQueue {
  const policy: RetryPolicy = { ...DEFAULT_RETRY, ...opts.retry };
  const name = opts.name ?? 'ingest';
  const prefix = opts.prefix ?? 'cos';
  const connection = createRedis(opts.config);
  connection.on('error', (err) => opts.logger.debug({ err: err.message }, 'redis connection error'));
  const queue = new Queue<JobData>(name, {
    connection,
    prefix,
    defaultJobOptions: {
      attempts: policy.attempts,
      backoff: { type: 'exponential', delay: policy.backoffMs },
      removeOnComplete: true,
      removeOnFail: { count: 1000 },
    },
  });
  queue.on('error', (err) => opts.logger.warn({ err: err.message }, 'ingest queue error'));
  const policyCheck = checkEvictionPolicy(connection, opts.logger);
  let worker: Worker<JobData> | undefined;
  let workerConnection: Redis | undefined;

  const enqueue = async (documentId: string) => {
    await queue.add('ingest', { documentId }, { jobId: documentId });
  };

  return {
    kind: 'bullmq',
    enqueue,
    async startWorker(handler, workerOpts) {
      workerConnection = createRedis(opts.config, { blocking: true });
      workerConnection.on('error', (err) => opts.logger.debug({ err: err.message }, 'redis worker connection error'));
      worker = new Worker<JobData>(
        name,
        async (job) => {
          try {
            await handler(job.data.documentId, {
              attempt: job.attemptsMade + 1,
              maxAttempts: job.opts.attempts ?? policy.attempts,
            });
          } catch (err) {
            if (err instanceof PermanentJobError) throw new UnrecoverableError(err.message);
            throw err;
          }
        },
        {
          connection: workerConnection,
          prefix,
          concurrency: Math.max(1, workerOpts?.concurrency ?? 1),
          lockDuration: opts.lockDurationMs ?? 30_000,
          stalledInterval: opts.stalledIntervalMs ?? 30_000,
          maxStalledCount: 2,
        },
      );
      worker.on('error', (err) => opts.logger.warn({ err: err.message }, 'ingest worker error'));
      worker.on('failed', (job, err) =>
        opts.logger.warn(
          { documentId: job?.data.documentId, attempts: job?.attemptsMade, err: err.message },
          'ingest job failed',
        ),
      );
      await policyCheck;
    },
    async counts() {
      const c = await queue.getJobCounts('waiting', 'prioritized', 'active', 'completed', 'failed', 'delayed');
      const counts: Record<JobState, number> = {
        waiting: (c.waiting ?? 0) + (c.prioritized ?? 0),
        active: c.active ?? 0,
        completed: c.completed ?? 0,
        failed: c.failed ?? 0,
        delayed: c.delayed ?? 0,
      };
      return counts;
    },
    async failedJobs(limit = 50) {
      const jobs = await queue.getFailed(0, Math.max(0, limit - 1));
      return jobs.map((job) => ({
        documentId: job.data.documentId,
        error: job.failedReason ?? '',
        attempts: job.attemptsMade,
        failedAt: job.finishedOn ?? job.timestamp,
      }));
    },
    async retry(documentId) {
      const job = await queue.getJob(documentId);
      if (job) {
        const state = await job.getState();
        if (state === 'failed' || state === 'completed') await job.remove().catch(() => undefined);
      }
      await enqueue(documentId);
    },
    async health() {
      const ping = await pingRedis(connection);
      const policyNote = await policyCheck;
      return policyNote && ping.ok ? { ok: true, detail: policyNote } : ping;
    },
    async close() {
      await worker?.close();
      await queue.close();
      workerConnection?.disconnect();
      connection.disconnect();
    },
  };
}
