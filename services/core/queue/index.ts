/** Which attempt this is; the handler decides what a last failed attempt means. */
export interface JobAttempt {
  /** 1 on the first run. */
  attempt: number;
  maxAttempts: number;
}

/** Processes one document; throwing marks the attempt failed (retried where the queue retries). */
export type IngestHandler = (documentId: string, attempt: JobAttempt) => Promise<void>;

export type JobState = 'waiting' | 'active' | 'completed' | 'failed' | 'delayed';

export interface FailedJob {
  documentId: string;
  error: string;
  attempts: number;
  failedAt: number;
}

/** Thrown by a handler when retrying cannot help (a file that does not parse): the job fails at once. */
export class PermanentJobError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'PermanentJobError';
  }
}

/** Retry policy shared by both implementations. */
export interface RetryPolicy {
  /** Runs per job, the first included. */
  attempts: number;
  /** Delay before the second run; doubled for each later run. */
  backoffMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { attempts: 3, backoffMs: 2000 };

/** Exponential backoff: `backoffMs`, then twice that, and so on. */
export const backoffDelay = (policy: RetryPolicy, attemptsMade: number) =>
  policy.backoffMs * 2 ** Math.max(0, attemptsMade - 1);

/**
 * The ingest queue. Jobs are keyed by document id: enqueueing a document that already has
 * a job (waiting, active, delayed or failed) is a no-op. BullMQ on Redis when REDIS_URL is
 * set, in-process otherwise, with the same semantics.
 */
export interface IngestQueue {
  readonly kind: 'memory' | 'bullmq';
  enqueue(documentId: string): Promise<void>;
  /** Starts consuming with `handler`; a process that only enqueues never calls this. */
  startWorker(handler: IngestHandler, opts?: { concurrency?: number }): Promise<void>;
  counts(): Promise<Record<JobState, number>>;
  failedJobs(limit?: number): Promise<FailedJob[]>;
  /** Drops a finished (failed or completed) job for the document and enqueues it afresh. */
  retry(documentId: string): Promise<void>;
  health(): Promise<{ ok: boolean; detail?: string }>;
  /** Stops taking jobs, waits for active ones, releases connections. */
  close(): Promise<void>;
}
