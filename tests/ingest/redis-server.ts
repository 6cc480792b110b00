import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, waitForRedisPing } from '../helpers/net.ts';
import { type ChildHandle, spawnChild } from '../helpers/process.ts';

/** A private redis-server a test may flush, stop and restart without touching the shared one. */
export interface PrivateRedis {
  url: string;
  /** Stops the server (SIGKILL) and starts it again on the same port, empty. */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

/** True when redis-server is on PATH; tests that restart or flush Redis need their own. */
export const hasRedisServer = spawnSync('which', ['redis-server']).status === 0;
if (!hasRedisServer) {
  console.warn('[tests] no redis-server on PATH: suites that restart or flush a private Redis are SKIPPED');
}

/** Starts redis-server from PATH on a free port with `noeviction` and no persistence. */
export async function startPrivateRedis(): Promise<PrivateRedis> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'cos-private-redis-'));
  let child: ChildHandle | undefined;
  const start = async () => {
    child = spawnChild(
      'redis-server',
      ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', '', '--appendonly', 'no'],
      { output: false },
    );
    await waitForRedisPing(port);
  };
  const kill = async () => {
    await child?.stop({ signal: 'SIGKILL' });
  };
  await start();
  return {
    url: `redis://127.0.0.1:${port}`,
    async restart() {
      await kill();
      await start();
    },
    async stop() {
      await kill();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
