import { randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createLogger } from '../logger.ts';
import { createCache } from './index.ts';

const logger = createLogger({ level: 'silent', service: 'test' }, new Writable({ write: (_c, _e, cb) => cb() }));

describe('cache', () => {
  const redisUrl = inject('redisUrl');
  let admin: Redis;
  beforeAll(() => {
    admin = new Redis(redisUrl);
  });
  afterAll(async () => {
    await admin.quit();
  });

  const mgetCalls = async () => {
    const stats = await admin.info('commandstats');
    return Number(/cmdstat_mget:calls=(\d+)/.exec(stats)?.[1] ?? 0);
  };

  it('works in-process without Redis', async () => {
    const cache = await createCache({ REDIS_URL: undefined, REDIS_TLS_CA_FILE: undefined }, logger);
    expect(cache.kind).toBe('memory');
    cache.set('a', '1', 60);
    expect(await cache.getMany(['a', 'b'])).toEqual(['1', null]);
    await cache.close();
  });

  it('shares entries between processes through Redis and answers repeats from memory', async () => {
    const key = `test:${randomUUID()}`;
    const writer = await createCache({ REDIS_URL: redisUrl, REDIS_TLS_CA_FILE: undefined }, logger);
    const reader = await createCache({ REDIS_URL: redisUrl, REDIS_TLS_CA_FILE: undefined }, logger);
    writer.set(key, 'value', 60);
    await expect.poll(() => admin.get(key)).toBe('value');
    expect(await admin.ttl(key)).toBeGreaterThan(50);

    const before = await mgetCalls();
    expect(await reader.getMany([key])).toEqual(['value']);
    expect(await mgetCalls()).toBe(before + 1);
    expect(await reader.getMany([key])).toEqual(['value']);
    expect(await writer.getMany([key])).toEqual(['value']);
    expect(await mgetCalls()).toBe(before + 1);

    expect((await reader.health()).ok).toBe(true);
    await writer.close();
    await reader.close();
  });

  it('treats an unreachable Redis as a miss, quickly', async () => {
    const cache = await createCache({ REDIS_URL: 'redis://127.0.0.1:1', REDIS_TLS_CA_FILE: undefined }, logger, {
      redisTimeoutMs: 100,
    });
    const started = Date.now();
    expect(await cache.getMany(['x'])).toEqual([null]);
    expect(Date.now() - started).toBeLessThan(1000);
    expect((await cache.health()).ok).toBe(false);
    await cache.close();
  });
});
