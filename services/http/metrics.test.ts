import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestDeps, type TestDeps } from '../../tests/helpers/deps.ts';
import { createApp } from '../gateway/app.ts';

describe('GET /metrics', () => {
  let deps: TestDeps;
  beforeEach(async () => {
    deps = await createTestDeps();
  });
  afterEach(() => deps.cleanup());

  it('counts requests by route pattern and reports document states in Prometheus text', async () => {
    const app = createApp(deps);
    await app.request('/healthz');
    await app.request('/api/kbs/some-id');
    const res = await app.request('/metrics');
    expect(res.headers.get('content-type')).toMatch(/text\/plain/);
    const text = await res.text();
    expect(text).toMatch(/http_requests_total\{service="gateway",method="GET",route="\/healthz",status="200"\} 1/);
    expect(text).not.toContain('some-id');
    expect(text).toMatch(/context_os_documents\{service="gateway",status="queued"\} 0/);
    expect(text).toMatch(/process_resident_memory_bytes\{service="gateway"\} \d+/);
  });
});
