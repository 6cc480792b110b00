import { randomBytes } from 'node:crypto';
import { GenericContainer, type StartedTestContainer, Wait } from 'testcontainers';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { runLabels } from './helpers/env.ts';
import { podman } from './helpers/exec.ts';
import { api } from './helpers/journey.ts';

/** The project's image (built from ./Dockerfile on the local Node base) running the gateway. */
describe('gateway image', () => {
  let gateway: StartedTestContainer | undefined;
  let base = '';

  beforeAll(async () => {
    const image = inject('appImage');
    if (!image) throw new Error(`no app image: ${inject('imageErrors')}`);
    gateway = await new GenericContainer(image)
      .withEnvironment({ JWT_SECRET: randomBytes(32).toString('hex'), LOG_LEVEL: 'warn' })
      // podman lists every port the image EXPOSEs as a binding: publish them all, or
      // testcontainers waits for bindings that never come.
      .withExposedPorts(3000, 3100, 3200, 3300)
      .withLabels(runLabels())
      .withWaitStrategy(Wait.forHttp('/healthz', 3000).withStartupTimeout(60_000))
      .start();
    base = `http://${gateway.getHost()}:${gateway.getMappedPort(3000)}`;
  });

  afterAll(async () => {
    await gateway?.stop({ timeout: 2_000 });
  });

  it('serves the API: register, then /api/auth/me with the token', async () => {
    const reg = await api({ base, token: '' }, 'POST', '/api/auth/register', {
      email: 'image@example.com',
      password: 'image password 2026',
    });
    expect(reg.status, reg.text).toBe(201);
    const me = await api({ base, token: reg.json.token }, 'GET', '/api/auth/me');
    expect(me.status).toBe(200);
    expect(me.json.user.email).toBe('image@example.com');
    const ready = await fetch(`${base}/readyz`);
    expect(ready.status).toBe(200);
  });

  it('runs as a non-root user with its data under /data', async () => {
    // podman's CLI rather than the exec API, whose sessions keep a conmon process for minutes.
    const id = gateway?.getId() ?? '';
    const uid = await podman(['exec', id, 'id', '-u']);
    expect(uid.stdout.trim()).not.toBe('0');
    const ls = await podman(['exec', id, 'ls', '/data']);
    expect(ls.stdout).toMatch(/\.db/);
  });

  it('exits promptly and cleanly on SIGTERM', async () => {
    if (!gateway) throw new Error('gateway not started');
    const id = gateway.getId();
    const started = Date.now();
    await gateway.stop({ timeout: 10_000, remove: false });
    gateway = undefined;
    expect(Date.now() - started).toBeLessThan(5_000);
    const state = await podman(['inspect', '--format', '{{.State.ExitCode}}', id]);
    await podman(['rm', '-f', '-v', id]);
    expect(state.stdout.trim()).toBe('0');
  });
});
