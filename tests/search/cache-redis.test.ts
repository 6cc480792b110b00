import { Redis } from 'ioredis';
import { afterEach, beforeEach, describe, expect, inject, it } from 'vitest';
import { createKb } from '../../services/core/kbs/index.ts';
import { search } from '../../services/core/search/index.ts';
import { countEmbeddings, createTestDeps, type TestDeps } from '../helpers/deps.ts';
import { draftFromMarkdown, insertUser, writeDocument } from './load.ts';

const DOC = '# Bees\n\n## Mites\n\nVarroa mites spread viruses among bees.\n\nTreat with oxalic acid in winter.';

describe('search cache with Redis', () => {
  const redisUrl = inject('redisUrl');
  let admin: Redis;
  let first: TestDeps;
  let second: TestDeps | undefined;
  beforeEach(async () => {
    admin = new Redis(redisUrl);
    first = await createTestDeps({ REDIS_URL: redisUrl });
  });
  afterEach(async () => {
    await second?.close();
    await first.cleanup();
    await admin.quit();
  });

  const redisReads = async () => Number(/cmdstat_mget:calls=(\d+)/.exec(await admin.info('commandstats'))?.[1] ?? 0);

  it('answers a repeated query from memory, and another process from Redis without embedding', async () => {
    const userId = insertUser(first);
    const kbId = createKb(first.db, { userId }, { title: 'kb' }).id;
    await writeDocument(first, userId, kbId, draftFromMarkdown('bees.md', DOC));
    const req = { kbId, query: `varroa mites ${Date.now()}` };
    const answer = await search(first, { userId }, req);
    const reads = await redisReads();
    expect((await search(first, { userId }, req)).hits).toEqual(answer.hits);
    expect(await redisReads()).toBe(reads);

    await expect.poll(async () => (await admin.keys(`cos:res:${kbId}:*`)).length).toBeGreaterThan(0);
    second = await createTestDeps({ DATA_DIR: first.dataDir, REDIS_URL: redisUrl });
    const embeds = countEmbeddings(second);
    expect((await search(second, { userId }, req)).hits).toEqual(answer.hits);
    expect(embeds.calls).toBe(0);
    expect(await redisReads()).toBeGreaterThan(reads);
  });
});
