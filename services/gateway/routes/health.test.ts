import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestDeps, type TestDeps } from '../../../tests/helpers/deps.ts';
import { createApp } from '../app.ts';

describe('health and request ids', () => {
  let deps: TestDeps;
  beforeEach(async () => {
    deps = await createTestDeps();
  });
  afterEach(() => deps.cleanup());

  it('answers /healthz and reports each dependency on /readyz', async () => {
    const app = createApp(deps);
    expect((await app.request('/healthz')).status).toBe(200);
    const ready = await app.request('/readyz');
    expect(ready.status).toBe(200);
    const body = await ready.json();
    expect(body.checks).toContainEqual(expect.objectContaining({ name: 'sqlite', ok: true, detail: 'wal' }));
  });

  it('answers /readyz with 503 when a required dependency is down, but not for an optional one', async () => {
    deps.readiness.push({ name: 'optional-thing', required: false, check: async () => ({ ok: false, detail: 'off' }) });
    expect((await createApp(deps).request('/readyz')).status).toBe(200);
    deps.readiness.push({
      name: 'redis',
      required: true,
      check: async () => {
        throw new Error('connect ECONNREFUSED');
      },
    });
    const res = await createApp(deps).request('/readyz');
    expect(res.status).toBe(503);
    const body = await res.json();
    expect(body.checks).toContainEqual(
      expect.objectContaining({ name: 'redis', ok: false, detail: 'connect ECONNREFUSED' }),
    );
  });

  it('puts the request id of an error response in the log line of that request', async () => {
    const res = await createApp(deps).request('/api/kbs', { headers: { 'x-request-id': 'trace-me-123' } });
    expect(res.status).toBe(401);
    expect((await res.json()).error.requestId).toBe('trace-me-123');
    const line = deps.logLines.map((l) => JSON.parse(l)).find((l) => l.requestId === 'trace-me-123');
    expect(line).toMatchObject({ method: 'GET', path: '/api/kbs', status: 401 });
  });
});
