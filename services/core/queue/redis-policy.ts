import type { Redis } from 'ioredis';
import type { Logger } from '../logger.ts';

/** Reads `maxmemory-policy`, by CONFIG GET or, where managed Redis forbids CONFIG, from INFO. */
export async function readEvictionPolicy(redis: Redis): Promise<string | undefined> {
  try {
    const reply = (await redis.call('CONFIG', 'GET', 'maxmemory-policy')) as string[];
    if (Array.isArray(reply) && typeof reply[1] === 'string') return reply[1];
  } catch {
    // CONFIG may be renamed or disabled; INFO still says.
  }
  try {
    const info = await redis.info('memory');
    return /maxmemory_policy:(\S+)/.exec(info)?.[1];
  } catch {
    return undefined;
  }
}

/**
 * Warns when Redis may evict keys: BullMQ needs `noeviction`, or queued jobs can vanish.
 * Resolves to a note for /readyz when the policy is wrong, undefined when it is fine or unknown.
 */
export async function checkEvictionPolicy(redis: Redis, logger: Logger): Promise<string | undefined> {
  const policy = await readEvictionPolicy(redis);
  if (policy === undefined || policy === 'noeviction') return undefined;
  const note = `maxmemory-policy is ${policy}; set it to noeviction or queued jobs may be evicted`;
  logger.warn({ maxmemoryPolicy: policy }, note);
  return note;
}
