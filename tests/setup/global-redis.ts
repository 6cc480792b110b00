import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type {} from 'vitest';
import type { TestProject } from 'vitest/node';
import { freePort, waitForRedisPing } from '../helpers/net.ts';
import { type ChildHandle, spawnChild } from '../helpers/process.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    /** A real Redis for the suites that need one; empty when none could be found or started. */
    redisUrl: string;
  }
}

let redis: ChildHandle | undefined;
let dir: string | undefined;

/**
 * Gives the test run a real Redis: REDIS_URL when set, else a redis-server found on PATH,
 * started on a free port in a temporary directory and stopped after the run.
 */
export default async function setup(project: TestProject) {
  if (process.env.REDIS_URL) {
    project.provide('redisUrl', process.env.REDIS_URL);
    return;
  }
  if (spawnSync('which', ['redis-server']).status !== 0) {
    console.warn('[tests] no REDIS_URL and no redis-server on PATH: Redis suites will fail');
    project.provide('redisUrl', '');
    return;
  }
  const port = await freePort();
  dir = mkdtempSync(join(tmpdir(), 'cos-redis-'));
  redis = spawnChild(
    'redis-server',
    [
      '--port',
      String(port),
      '--bind',
      '127.0.0.1',
      '--dir',
      dir,
      '--save',
      '',
      '--appendonly',
      'no',
      '--maxmemory-policy',
      'noeviction',
    ],
    { output: false },
  );
  redis.child.unref();
  await waitForRedisPing(port);
  project.provide('redisUrl', `redis://127.0.0.1:${port}`);
  return async () => {
    await redis?.stop({ graceMs: 5000 });
    if (dir) rmSync(dir, { recursive: true, force: true });
  };
}
