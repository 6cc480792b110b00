import type { Config } from '../config.ts';
import type { Logger } from '../logger.ts';
import type { IngestQueue } from './index.ts';
import { createMemoryQueue } from './memory.ts';

/** BullMQ when REDIS_URL is set (loaded only then), the in-process queue otherwise. */
export async function createIngestQueue(config: Config, logger: Logger): Promise<IngestQueue> {
  if (!config.REDIS_URL) return createMemoryQueue({ logger });
  const { createBullmqQueue } = await import('./bullmq.ts');
  return createBullmqQueue({ config, logger });
}
