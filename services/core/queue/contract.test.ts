import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterEach, describe, expect, inject, it } from 'vitest';
import { hasRedisServer, startPrivateRedis } from '../../../tests/ingest/redis-server.ts';
import { createLogger } from '../logger.ts';
import { createBullmqQueue } from './bullmq.ts';
import { type IngestQueue, type JobAttempt, PermanentJobError } from './index.ts';
import { createMemoryQueue } from './memory.ts';

const logger = createLogger({ level: 'silent' });
const retry = { attempts: 3, backoffMs: 30 };
const redisUrl = inject('redisUrl');

const implementations: Array<[string, () => IngestQueue]> = [
  ['memory', () => createMemoryQueue({ logger, retry })],
  [
    'bullmq',
    () =>
      createBullmqQueue({
        config: { REDIS_URL: redisUrl, REDIS_TLS_CA_FILE: undefined },
        logger,
        name: `contract-${randomUUID()}`,
        prefix: 'cos-test',
        retry,
      }),
  ],
];

async function until(check: () => boolean | Promise<boolean>, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe.each(implementations)('ingest queue contract: %s', (_kind, make) => {
  const open: IngestQueue[] = [];
  const create = () => {
    const q = make();
    open.push(q);
    return q;
  };
  afterEach(async () => {
    for (const q of open.splice(0)) await q.close();
  });

  it('runs an enqueued document once, even when enqueued again while waiting', async () => {
    const q = create();
    const seen: string[] = [];
    await q.enqueue('doc-a');
    await q.enqueue('doc-a');
    await q.enqueue('doc-b');
    await q.startWorker(async (id) => {
      seen.push(id);
    });
    await until(() => seen.length >= 2);
    await new Promise((r) => setTimeout(r, 150));
    expect(seen.sort()).toEqual(['doc-a', 'doc-b']);
    await until(async () => (await q.counts()).waiting === 0 && (await q.counts()).active === 0);
  });

  it('retries a failing job with growing delays and passes the attempt number', async () => {
    const q = create();
    const attempts: Array<JobAttempt & { at: number }> = [];
    await q.startWorker(async (_id, attempt) => {
      attempts.push({ ...attempt, at: Date.now() });
      if (attempt.attempt < 3) throw new Error('temporary');
    });
    await q.enqueue('doc-retry');
    await until(() => attempts.length === 3);
    expect(attempts.map((a) => a.attempt)).toEqual([1, 2, 3]);
    expect(attempts.every((a) => a.maxAttempts === 3)).toBe(true);
    const [a1, a2, a3] = attempts.map((a) => a.at);
    expect((a2 ?? 0) - (a1 ?? 0)).toBeGreaterThanOrEqual(25);
    expect((a3 ?? 0) - (a2 ?? 0)).toBeGreaterThanOrEqual(55);
    await until(async () => (await q.failedJobs()).length === 0 && (await q.counts()).active === 0);
  });

  it('does not retry a permanent error and keeps the failed job for inspection', async () => {
    const q = create();
    let runs = 0;
    await q.startWorker(async () => {
      runs++;
      throw new PermanentJobError('file is not a PDF');
    });
    await q.enqueue('doc-bad');
    await until(async () => (await q.counts()).failed === 1);
    await new Promise((r) => setTimeout(r, 150));
    expect(runs).toBe(1);
    const [failed] = await q.failedJobs();
    expect(failed).toMatchObject({ documentId: 'doc-bad', error: 'file is not a PDF', attempts: 1 });
    await q.enqueue('doc-bad');
    await new Promise((r) => setTimeout(r, 100));
    expect(runs).toBe(1);
  });

  it('gives up after the last attempt, and retry() runs the document afresh', async () => {
    const q = create();
    let runs = 0;
    let healthy = false;
    await q.startWorker(async () => {
      runs++;
      if (!healthy) throw new Error('down');
    });
    await q.enqueue('doc-x');
    await until(async () => (await q.counts()).failed === 1);
    expect(runs).toBe(3);
    healthy = true;
    await q.retry('doc-x');
    await until(() => runs === 4);
    await until(async () => (await q.counts()).failed === 0);
  });

  it('never runs more jobs at once than its concurrency', async () => {
    const q = create();
    let running = 0;
    let peak = 0;
    let done = 0;
    await q.startWorker(
      async () => {
        running++;
        peak = Math.max(peak, running);
        await new Promise((r) => setTimeout(r, 60));
        running--;
        done++;
      },
      { concurrency: 2 },
    );
    for (let i = 0; i < 6; i++) await q.enqueue(`doc-${i}`);
    await until(() => done === 6, 8000);
    expect(peak).toBe(2);
  });

  it('lets an active job finish when closed', async () => {
    const q = create();
    let finished = false;
    let started = false;
    await q.startWorker(async () => {
      started = true;
      await new Promise((r) => setTimeout(r, 200));
      finished = true;
    });
    await q.enqueue('doc-slow');
    await until(() => started);
    await q.close();
    expect(finished).toBe(true);
    expect(await q.health()).toMatchObject({ ok: false });
  });
});

describe.skipIf(!hasRedisServer)('bullmq queue on a private Redis', () => {
  it('takes jobs again after Redis was flushed and after it restarted empty', async () => {
    const redis = await startPrivateRedis();
    const q = createBullmqQueue({
      config: { REDIS_URL: redis.url, REDIS_TLS_CA_FILE: undefined },
      logger,
      name: 'flush',
      retry,
    });
    const admin = new Redis(redis.url);
    try {
      const seen: string[] = [];
      await q.startWorker(async (id) => {
        seen.push(id);
      });
      await q.enqueue('before-flush');
      await until(() => seen.includes('before-flush'));
      await admin.flushall();
      await q.enqueue('after-flush');
      await until(() => seen.includes('after-flush'), 10_000);
      await redis.restart();
      await until(async () => (await q.health()).ok, 10_000);
      await q.enqueue('after-restart');
      await until(() => seen.includes('after-restart'), 15_000);
    } finally {
      await q.close();
      admin.disconnect();
      await redis.stop();
    }
  });

  it('warns when Redis may evict queue keys', async () => {
    const redis = await startPrivateRedis();
    const admin = new Redis(redis.url);
    const lines: string[] = [];
    const capture = createLogger({ level: 'warn' }, { write: (l: string) => lines.push(l) });
    try {
      await admin.config('SET', 'maxmemory-policy', 'allkeys-lru');
      const q = createBullmqQueue({ config: { REDIS_URL: redis.url, REDIS_TLS_CA_FILE: undefined }, logger: capture });
      expect((await q.health()).detail).toMatch(/noeviction/);
      await q.close();
      expect(lines.join('\n')).toContain('allkeys-lru');
    } finally {
      admin.disconnect();
      await redis.stop();
    }
  });
});
