import { randomUUID } from 'node:crypto';
import {
  GenericContainer,
  getContainerRuntimeClient,
  ImageName,
  type StartedTestContainer,
  Wait,
} from 'testcontainers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { metadataSearchSuite } from '../../../tests/search/metadata-filters.ts';
import { vectorStoreContract } from './contract.ts';
import { createQdrantVectorStore, pointId } from './qdrant.ts';
import { qdrantSizing, quantizationKind } from './qdrant-sizing.ts';

const IMAGE = process.env.QDRANT_IMAGE ?? 'qdrant/qdrant:v1.13.6';

/** QDRANT_URL, else a Docker engine that already holds the Qdrant image (nothing is pulled). */
async function findQdrant(): Promise<{ url?: string; apiKey?: string; container: boolean; why?: string }> {
  if (process.env.QDRANT_URL)
    return { url: process.env.QDRANT_URL, apiKey: process.env.QDRANT_API_KEY, container: false };
  try {
    const runtime = await Promise.race([
      getContainerRuntimeClient(),
      new Promise<never>((_, reject) => setTimeout(() => reject(new Error('no answer')), 5000).unref()),
    ]);
    if (await runtime.image.exists(ImageName.fromString(IMAGE))) return { container: true };
    return { container: false, why: `the container engine has no ${IMAGE} image` };
  } catch {
    return { container: false, why: 'QDRANT_URL is unset and testcontainers found no container engine' };
  }
}

const target = await findQdrant();
const runnable = Boolean(target.url) || target.container;
if (!runnable) console.warn(`[vector-store] SKIPPED the Qdrant contract suite: ${target.why}.`);

describe('Qdrant point ids', () => {
  it('derives the same UUID from the same chunk id and different ones otherwise', () => {
    expect(pointId('chunk-1')).toBe(pointId('chunk-1'));
    expect(pointId('chunk-1')).not.toBe(pointId('chunk-2'));
    expect(pointId('chunk-1')).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });
});

describe('Qdrant sizing', () => {
  it('quantizes 1024+ dimensions to one bit with 3x oversampling, smaller ones to int8, always rescored', () => {
    const big = qdrantSizing(1024);
    expect(quantizationKind(big.quantization)).toBe('binary');
    expect(big.search).toEqual({ rescore: true, oversampling: 3 });
    expect(qdrantSizing(1536).ramBytesPerVector).toBe(192);
    const small = qdrantSizing(768);
    expect(quantizationKind(small.quantization)).toBe('scalar');
    expect(small.search).toEqual({ rescore: true, oversampling: 2 });
    // 1M bge-m3 vectors: 128 MB of binary codes in RAM against 1 GB as int8.
    expect((1_000_000 * big.ramBytesPerVector) / 1e6).toBe(128);
  });
});

describe.skipIf(!runnable)('Qdrant vector store', () => {
  let container: StartedTestContainer | undefined;
  let url = target.url ?? '';
  const apiKey = target.url ? target.apiKey : 'qdrant-test-key';

  beforeAll(async () => {
    if (target.url) return;
    container = await new GenericContainer(IMAGE)
      .withEnvironment({ QDRANT__SERVICE__API_KEY: apiKey ?? '', QDRANT__TELEMETRY_DISABLED: 'true' })
      .withExposedPorts(6333)
      .withWaitStrategy(Wait.forHttp('/readyz', 6333))
      .start();
    url = `http://${container.getHost()}:${container.getMappedPort(6333)}`;
  }, 120_000);
  afterAll(async () => {
    await container?.stop({ timeout: 5000 });
  });

  vectorStoreContract('qdrant', async (dimension) => {
    const store = createQdrantVectorStore({ url, apiKey, model: `contract-${randomUUID()}`, dimension });
    return { store, dispose: () => store.close() };
  });

  metadataSearchSuite('qdrant', () => ({ QDRANT_URL: url, ...(apiKey && { QDRANT_API_KEY: apiKey }) }));

  it('refuses a wrong API key', async () => {
    if (!apiKey) return;
    const store = createQdrantVectorStore({ url, apiKey: 'wrong', model: `k-${randomUUID()}`, dimension: 4 });
    expect((await store.health()).ok).toBe(false);
  });
});
