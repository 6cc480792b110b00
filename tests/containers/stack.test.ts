import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { freePort } from '../helpers/process.ts';
import { compose, composeUp, projectContainers, projectLogs, waitHttpOk } from './helpers/compose.ts';
import { containersEnv } from './helpers/env.ts';
import { podman } from './helpers/exec.ts';
import { expectJourneySurvived, type JourneyResult, runJourney, streamChatEvents } from './helpers/journey.ts';
import { memoryTable, sampleMemory } from './helpers/memory.ts';
import { breakdownTable, memoryBreakdown } from './helpers/memory-breakdown.ts';
import { createStackNetwork, pinBridge, removeStackNetwork } from './helpers/network.ts';

const GIB = 1024 ** 3;
const secret = (bytes: number) => randomBytes(bytes).toString('hex');

/** Runs every container's health check once; the result per container name. */
async function healthByName(): Promise<Record<string, boolean>> {
  const ids = await projectContainers();
  const names = (await podman(['inspect', '--format', '{{.Name}}', ...ids])).stdout.split('\n').filter(Boolean);
  const runs = await Promise.all(ids.map((id) => podman(['healthcheck', 'run', id], { allowFailure: true })));
  return Object.fromEntries(names.map((n, i) => [n, runs[i]?.code === 0]));
}

/**
 * docker-compose.single.yml on podman's Docker-compatible socket, with local images: the whole
 * user journey through nginx, memory per container, prompt stops, data surviving down/up.
 */
describe('single-box compose stack', () => {
  const env: Record<string, string> = {};
  let base = '';
  let journey: JourneyResult | undefined;
  const describeFailure = () => projectLogs(env);

  beforeAll(async () => {
    const appImage = inject('appImage');
    const mockImage = inject('mockImage');
    if (!appImage || !mockImage) throw new Error(`images missing: ${inject('imageErrors')}`);
    const httpPort = await freePort();
    Object.assign(env, {
      APP_IMAGE: appImage,
      MOCK_ONEAPI_IMAGE: mockImage,
      REDIS_IMAGE: containersEnv.redisImage,
      NGINX_IMAGE: containersEnv.nginxImage,
      QDRANT_PLACEHOLDER_IMAGE: containersEnv.nodeImage,
      NGINX_CONF: 'http',
      HTTP_PORT: `127.0.0.1:${httpPort}`,
      HTTPS_PORT: `127.0.0.1:${await freePort()}`,
      JWT_SECRET: secret(32),
      INTERNAL_TOKEN: secret(24),
      REDIS_PASSWORD: secret(16),
      QDRANT_API_KEY: secret(16),
      ONEAPI_BASE_URL: 'http://mock-oneapi:3900/v1',
      ONEAPI_KEY: secret(12),
      STACK_NETWORK: `${containersEnv.composeProject}_net`,
    });
    await createStackNetwork(env.STACK_NETWORK ?? '');
    base = `http://127.0.0.1:${httpPort}`;
  });

  afterAll(async () => {
    await compose(env, ['down', '-v', '--timeout', '5'], 120_000).catch(() => undefined);
    if (env.STACK_NETWORK) await removeStackNetwork(env.STACK_NETWORK);
  });

  it('comes up healthy and serves the whole journey through nginx, streamed chat included', async () => {
    await pinBridge(env.STACK_NETWORK ?? '');
    await composeUp(env);
    await waitHttpOk(`${base}/healthz`, 120_000, describeFailure);
    const health = await healthByName();
    for (const svc of ['gateway', 'search', 'ingest-worker', 'admin', 'redis', 'nginx', 'mock-oneapi']) {
      const name = Object.keys(health).find((n) => n.includes(`_${svc}_`) || n.includes(`-${svc}-`));
      expect(name, `no container for ${svc} in ${JSON.stringify(health)}`).toBeDefined();
      expect(health[name ?? ''], `${svc} is not healthy`).toBe(true);
    }
    journey = await runJourney(base).catch(async (err: Error) => {
      throw new Error(`${err.message}\n--- container logs ---\n${await describeFailure()}`);
    });
    expect(journey.answer).toContain('Mock answer from');

    const events = await streamChatEvents(journey, journey.kbId, 'What does the keeper do on Sundays?');
    expect(events[0]).toBe('token');
    expect(events.slice(-2)).toEqual(['citations', 'done']);
  });

  it('fits the 2 GB budget after the journey', async () => {
    const rows = await sampleMemory(await projectContainers());
    console.log(`[containers] memory after the journey (podman stats):\n${memoryTable(rows)}`);
    const breakdown = await memoryBreakdown(await projectContainers());
    if (breakdown.length > 0) console.log(`[containers] what the memory is made of:\n${breakdownTable(breakdown)}`);
    expect(rows.length).toBeGreaterThanOrEqual(7);
    const used = rows.reduce((s, r) => s + r.usedBytes, 0);
    expect(used).toBeLessThan(2 * GIB);
    for (const r of rows) expect(r.limitBytes, r.name).toBeLessThan(GIB);
    // Each Node service within 100 MiB of its own: what its cgroup counts, kernel memory included,
    // less the page cache charged to it. That cache is reclaimable and mostly the image's node
    // binary and libraries, which all four services map and the kernel charges to whichever read
    // them first: two runs of the same commit charged search 0.6 and 81 MiB of it, anon 68.5 and
    // 68.8. The total above counts it.
    const services = rows.filter((r) => /[_-](gateway|search|ingest-worker|admin)[_-]/.test(r.name));
    expect(services).toHaveLength(4);
    for (const r of services) {
      const cache = breakdown.find((b) => b.name.replace(/^\//, '') === r.name)?.fileBytes ?? 0;
      expect(Math.max(r.usedBytes - cache, 0), r.name).toBeLessThanOrEqual(100 * 1024 ** 2);
    }
  });

  it('stops every service on SIGTERM in well under 10 s', async () => {
    const ids = await projectContainers();
    const res = await compose(env, ['stop'], 120_000);
    console.log(`[containers] docker-compose stop took ${(res.ms / 1000).toFixed(1)} s`);
    expect(res.ms).toBeLessThan(10_000);
    const codes = await podman(['inspect', '--format', '{{.Name}} {{.State.ExitCode}}', ...ids]);
    for (const line of codes.stdout.split('\n').filter(Boolean)) {
      expect(line, 'a service did not exit cleanly on SIGTERM').toMatch(/ 0$/);
    }
  });

  it('keeps users, KBs, documents and vectors on the volumes across down and up', async () => {
    if (!journey) throw new Error('the journey did not run');
    await compose(env, ['down', '--timeout', '10'], 120_000);
    expect(await projectContainers(true)).toEqual([]);
    await pinBridge(env.STACK_NETWORK ?? '');
    await composeUp(env);
    await waitHttpOk(`${base}/healthz`, 120_000, describeFailure);
    await expectJourneySurvived({ ...journey, base }).catch(async (err: Error) => {
      throw new Error(`${err.message}\n--- container logs ---\n${await describeFailure()}`);
    });
  });
});
