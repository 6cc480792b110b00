import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDeps, type TestDeps } from '../../tests/helpers/deps.ts';
import { createApp } from './app.ts';

describe('ingest worker app', () => {
  let deps: TestDeps;
  beforeAll(async () => {
    deps = await createTestDeps();
  });
  afterAll(async () => deps.cleanup());

  it('answers /healthz and reports files and queue on /readyz, nothing else', async () => {
    const app = createApp(deps);
    expect((await app.request('/healthz')).status).toBe(200);
    const ready = await app.request('/readyz');
    expect(ready.status).toBe(200);
    const body = (await ready.json()) as { service: string; checks: Array<{ name: string }> };
    expect(body.service).toBe('ingest-worker');
    expect(body.checks.map((c) => c.name)).toEqual(expect.arrayContaining(['sqlite', 'files', 'vectors']));
    expect((await app.request('/api/kbs')).status).toBe(404);
  });
});
