import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningMock, startMockOneApi } from '../../../tests/helpers/mock-oneapi.ts';
import { loadConfig } from '../config.ts';
import { type Db, openDatabase } from '../db/index.ts';
import { createLogger } from '../logger.ts';
import { buildLlm, resolveEmbeddingDimension } from './build.ts';

const logger = createLogger({ level: 'silent' });
let mock: RunningMock;
let dir: string;
let db: Db;

beforeAll(async () => {
  mock = await startMockOneApi({ dimension: 24 });
  dir = mkdtempSync(join(tmpdir(), 'cos-llm-build-'));
  db = openDatabase(join(dir, 'test.db'));
});
afterAll(async () => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
  await mock.stop();
});

const embedderFor = (env: Record<string, string>) => {
  const parts = buildLlm(loadConfig({ ONEAPI_BASE_URL: mock.url, ...env }), logger);
  if (!parts.embedder) throw new Error('no embedder');
  return parts.embedder;
};

describe('ONEAPI parts of Deps', () => {
  it('builds nothing without ONEAPI_BASE_URL', () => {
    expect(buildLlm(loadConfig({}), logger)).toEqual({});
  });

  it('takes the dimension from EMBEDDING_DIMENSION without asking the gateway', async () => {
    await mock.control({ reset: true });
    const embedder = embedderFor({ EMBEDDING_DIMENSION: '24' });
    await resolveEmbeddingDimension(embedder, db);
    expect(embedder.dimension).toBe(24);
    expect(mock.requests('/embeddings')).toHaveLength(0);
  });

  it('asks the gateway once when the dimension is unknown, then uses the stored index', async () => {
    await mock.control({ reset: true });
    const first = embedderFor({ EMBEDDING_MODEL: 'probe-model' });
    await resolveEmbeddingDimension(first, db);
    expect(first.dimension).toBe(24);
    expect(mock.requests('/embeddings')).toHaveLength(1);

    db.sqlite
      .prepare(`INSERT INTO embedding_indexes (model, dimension, state) VALUES ('stored-model', 24, 'building')`)
      .run();
    await mock.control({ down: true });
    const second = embedderFor({ EMBEDDING_MODEL: 'stored-model' });
    await resolveEmbeddingDimension(second, db);
    expect(second.dimension).toBe(24);
  });

  it('fails at start naming EMBEDDING_DIMENSION when the gateway cannot tell', async () => {
    await mock.control({ reset: true, down: true });
    const embedder = embedderFor({ EMBEDDING_MODEL: 'unknown-model', ONEAPI_MAX_RETRIES: '0' });
    await expect(resolveEmbeddingDimension(embedder, db)).rejects.toThrow(/^EMBEDDING_DIMENSION: /);
  });
});
