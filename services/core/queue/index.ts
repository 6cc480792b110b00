/** Processes one document; throwing marks the attempt failed (retried where the queue retries). */
export type IngestHandler = (documentId: string) => Promise<void>;

export type JobState = 'waiting' | 'active' | 'completed' | 'failed' | 'delayed';

export interface FailedJob {
  documentId: string;
  error: string;
  attempts: number;
  failedAt: number;
}

/**
 * The ingest queue. Jobs are keyed by document id: enqueueing a document that is already
 * waiting is a no-op. BullMQ on Redis when REDIS_URL is set, in-process otherwise.
 */
export interface IngestQueue {
  readonly kind: 'memory' | 'bullmq';
  enqueue(documentId: string): Promise<void>;
  /** Starts consuming with `handler`; a process that only enqueues never calls this. */
  startWorker(handler: IngestHandler, opts?: { concurrency?: number }): Promise<void>;
  counts(): Promise<Record<JobState, number>>;
  failedJobs(limit?: number): Promise<FailedJob[]>;
  retry(documentId: string): Promise<void>;
  health(): Promise<{ ok: boolean; detail?: string }>;
  /** Stops taking jobs, waits for active ones, releases connections. */
  close(): Promise<void>;
}
