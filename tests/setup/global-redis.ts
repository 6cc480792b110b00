import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type {} from 'vitest';
import type { TestProject } from 'vitest/node';
import { freePort, waitForRedisPing } from '../helpers/net.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    /** A real Redis for the suites that need one; empty when none could be found or started. */
    redisUrl: string;
  }
}

let child: ChildProcess | undefined;
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
  child = spawn(
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
    { stdio: 'ignore' },
  );
  child.unref();
  await waitForRedisPing(port);
  project.provide('redisUrl', `redis://127.0.0.1:${port}`);
  return () => {
    child?.kill('SIGTERM');
    if (dir) rmSync(dir, { recursive: true, force: true });
  };
}
