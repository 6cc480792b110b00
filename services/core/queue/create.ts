import type { Config } from '../config.ts';
import type { Logger } from '../logger.ts';
import { createBullmqQueue } from './bullmq.ts';
import type { IngestQueue } from './index.ts';
import { createMemoryQueue } from './memory.ts';

/** BullMQ when REDIS_URL is set, the in-process queue otherwise. */
export function createIngestQueue(config: Config, logger: Logger): IngestQueue {
  return config.REDIS_URL ? createBullmqQueue({ config, logger }) : createMemoryQueue({ logger });
}
