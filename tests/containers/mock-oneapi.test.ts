import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GenericContainer, type StartedTestContainer, Wait } from 'testcontainers';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { type ServiceProcess, startService } from '../helpers/process.ts';
import { runLabels } from './helpers/env.ts';
import { runJourney } from './helpers/journey.ts';

const KEY = 'containers-test-key';

/** The mock ONEAPI image from its own Dockerfile, used by an app process on the host over HTTP. */
describe('mock ONEAPI container behind ingest and chat', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'cos-ct-mock-'));
  let mock: StartedTestContainer | undefined;
  let app: ServiceProcess | undefined;
  let mockUrl = '';

  beforeAll(async () => {
    const image = inject('mockImage');
    if (!image) throw new Error(`no mock ONEAPI image: ${inject('imageErrors')}`);
    mock = await new GenericContainer(image)
      .withEnvironment({ MOCK_ONEAPI_KEY: KEY })
      .withExposedPorts(3900)
      .withLabels(runLabels())
      .withWaitStrategy(Wait.forHttp('/healthz', 3900))
      .start();
    mockUrl = `http://${mock.getHost()}:${mock.getMappedPort(3900)}`;
    app = await startService(
      'services/main.ts',
      {
        DATA_DIR: dataDir,
        REDIS_URL: inject('redisUrl'),
        ONEAPI_BASE_URL: `${mockUrl}/v1`,
        ONEAPI_KEY: KEY,
      },
      { timeoutMs: 60_000 },
    );
  });

  afterAll(async () => {
    await app?.stop();
    await mock?.stop({ timeout: 2_000 });
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('ingests with the mock embeddings and answers chat with the mock model', async () => {
    const r = await runJourney(app?.url ?? '');
    expect(r.answer).toContain('Mock answer from');
    expect(r.answer).toContain('lamp');

    const res = await fetch(`${mockUrl}/__requests`);
    const { items } = (await res.json()) as { items: Array<{ path: string; authorization?: string }> };
    const paths = items.map((i) => i.path);
    expect(paths).toContain('/v1/embeddings');
    expect(paths).toContain('/v1/chat/completions');
    expect(new Set(items.map((i) => i.authorization))).toEqual(new Set([`Bearer ${KEY}`]));
  });

  it('stops promptly on SIGTERM', async () => {
    const started = Date.now();
    await mock?.stop({ timeout: 10_000 });
    mock = undefined;
    expect(Date.now() - started).toBeLessThan(3_000);
  });
});
