import type { Redis } from 'ioredis';
import { LRUCache } from 'lru-cache';
import type { Config } from '../config.ts';
import type { Logger } from '../logger.ts';

/**
 * A two-level string cache: an in-process LRU in front of an optional Redis. A lookup
 * answered by the LRU makes no network round trip; a lookup of several keys makes at most one.
 */
export interface Cache {
  readonly kind: 'memory' | 'memory+redis';
  /** Values in key order; null for a miss. Redis errors and timeouts count as misses. */
  getMany(keys: string[]): Promise<Array<string | null>>;
  /** Stores in the LRU now and in Redis in the background (never awaited on the request path). */
  set(key: string, value: string, ttlSeconds: number): void;
  health(): Promise<{ ok: boolean; detail?: string }>;
  close(): Promise<void>;
}

export interface CacheOptions {
  /** Entries kept in-process. */
  maxEntries?: number;
  /** How long a Redis lookup may take before it counts as a miss. */
  redisTimeoutMs?: number;
}

/**
 * The cache the configuration asks for: LRU only, or LRU plus Redis when REDIS_URL is set
 * (the Redis client is loaded only then: a process without Redis does not carry it).
 */
export async function createCache(
  config: Pick<Config, 'REDIS_URL' | 'REDIS_TLS_CA_FILE'>,
  logger: Logger,
  opts: CacheOptions = {},
): Promise<Cache> {
  const lru = new LRUCache<string, string>({ max: opts.maxEntries ?? 5000, ttlAutopurge: false });
  const { createRedis, pingRedis } = config.REDIS_URL ? await import('../redis.ts') : {};
  const redis: Redis | undefined = config.REDIS_URL ? createRedis?.(config) : undefined;
  redis?.on('error', (err) => logger.debug({ err: err.message }, 'cache redis error'));
  const timeoutMs = opts.redisTimeoutMs ?? 250;

  const fromRedis = async (keys: string[]): Promise<Array<string | null>> => {
    if (!redis || keys.length === 0) return keys.map(() => null);
    let timer: NodeJS.Timeout | undefined;
    try {
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error('cache lookup timed out')), timeoutMs);
      });
      return await Promise.race([redis.mget(...keys), timeout]);
    } catch (err) {
      logger.debug({ err: err instanceof Error ? err.message : String(err) }, 'cache lookup failed');
      return keys.map(() => null);
    } finally {
      clearTimeout(timer);
    }
  };

  return {
    kind: redis ? 'memory+redis' : 'memory',
    async getMany(keys) {
      const values = keys.map((k) => lru.get(k) ?? null);
      const missing = keys.filter((_, i) => values[i] === null);
      if (missing.length === 0) return values;
      const remote = await fromRedis(missing);
      let j = 0;
      return values.map((v, i) => {
        if (v !== null) return v;
        const found = remote[j++] ?? null;
        if (found !== null) lru.set(keys[i], found);
        return found;
      });
    },
    set(key, value, ttlSeconds) {
      lru.set(key, value, { ttl: ttlSeconds * 1000 });
      redis?.set(key, value, 'EX', ttlSeconds).catch((err: Error) => {
        logger.debug({ err: err.message }, 'cache store failed');
      });
    },
    async health() {
      return redis && pingRedis ? pingRedis(redis) : { ok: true, detail: 'in-process' };
    },
    async close() {
      lru.clear();
      if (redis) await redis.quit().catch(() => redis.disconnect());
    },
  };
}
