import { readFileSync } from 'node:fs';
import { Redis, type RedisOptions } from 'ioredis';
import type { Config } from './config.ts';

/**
 * A Redis connection from REDIS_URL. `rediss://` enables TLS; REDIS_TLS_CA_FILE adds a CA
 * for servers with a private certificate (scheme B reaches Redis across the internet).
 * `blocking: true` gives BullMQ what its workers need (no per-request retry limit).
 */
export function createRedis(
  config: Pick<Config, 'REDIS_URL' | 'REDIS_TLS_CA_FILE'>,
  opts: { blocking?: boolean } = {},
): Redis {
  if (!config.REDIS_URL) throw new Error('REDIS_URL is not set');
  const options: RedisOptions = {
    lazyConnect: false,
    enableOfflineQueue: true,
    maxRetriesPerRequest: opts.blocking ? null : 2,
    connectTimeout: 5000,
    retryStrategy: (times) => Math.min(times * 200, 5000),
  };
  if (config.REDIS_URL.startsWith('rediss://')) {
    options.tls = config.REDIS_TLS_CA_FILE ? { ca: readFileSync(config.REDIS_TLS_CA_FILE) } : {};
  }
  return new Redis(config.REDIS_URL, options);
}

/** PING with a deadline, for /readyz. */
export async function pingRedis(redis: Redis, timeoutMs = 2000): Promise<{ ok: boolean; detail?: string }> {
  try {
    const pong = await Promise.race([
      redis.ping(),
      new Promise<never>((_, reject) => setTimeout(() => reject(new Error('timed out')), timeoutMs).unref()),
    ]);
    return { ok: pong === 'PONG', detail: redis.status };
  } catch (err) {
    return { ok: false, detail: err instanceof Error ? err.message : String(err) };
  }
}
