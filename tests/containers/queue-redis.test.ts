import { randomUUID } from 'node:crypto';
import { GenericContainer, type StartedTestContainer, Wait } from 'testcontainers';
import { afterAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../services/core/logger.ts';
import { createBullmqQueue } from '../../services/core/queue/bullmq.ts';
import type { IngestQueue } from '../../services/core/queue/index.ts';
import { containersEnv, runLabels } from './helpers/env.ts';

// The queue contract suite, run here against the Redis container that the global setup
// provides as `redisUrl` (the same suite runs against a host redis-server in `npm test`).
import '../../services/core/queue/contract.test.ts';

const logger = createLogger({ level: 'silent' });

async function until(check: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe('bullmq queue on a Redis container with an append-only file', () => {
  let redis: StartedTestContainer | undefined;
  const open: IngestQueue[] = [];
  afterAll(async () => {
    for (const q of open) await q.close();
    await redis?.stop({ timeout: 2_000 });
  });

  const queueOn = (container: StartedTestContainer, name: string) => {
    const q = createBullmqQueue({
      config: {
        REDIS_URL: `redis://${container.getHost()}:${container.getMappedPort(6379)}`,
        REDIS_TLS_CA_FILE: undefined,
      },
      logger,
      name,
      prefix: 'cos-ct',
    });
    open.push(q);
    return q;
  };

  it('keeps a queued document across a Redis restart and runs it afterwards', async () => {
    redis = await new GenericContainer(containersEnv.redisImage)
      .withCommand([
        'redis-server',
        '--appendonly',
        'yes',
        '--appendfsync',
        'always',
        '--maxmemory-policy',
        'noeviction',
      ])
      .withExposedPorts(6379)
      .withLabels(runLabels())
      .withWaitStrategy(Wait.forLogMessage('Ready to accept connections'))
      .start();
    const name = `restart-${randomUUID()}`;
    const before = queueOn(redis, name);
    await before.enqueue('doc-survives');
    expect((await before.counts()).waiting).toBe(1);
    await before.close();
    open.splice(open.indexOf(before), 1);

    await redis.restart({ timeout: 2_000 });

    const after = queueOn(redis, name);
    expect((await after.counts()).waiting).toBe(1);
    const seen: string[] = [];
    await after.startWorker(async (id) => {
      seen.push(id);
    });
    await until(() => seen.length > 0);
    expect(seen).toEqual(['doc-survives']);
  });
});
