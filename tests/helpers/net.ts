import { spawnSync } from 'node:child_process';
import { createServer } from 'node:net';

/** A TCP port on 127.0.0.1 that was free a moment ago. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
    srv.on('error', reject);
  });
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Polls `<url>/healthz` every 100 ms; true once it answers 2xx, false after `timeoutMs`.
 * `exited()` runs before each attempt: a message from it (the process died) is thrown at once.
 */
export async function waitForHealthz(
  url: string,
  timeoutMs: number,
  exited: () => string | undefined,
): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const failure = exited();
    if (failure !== undefined) throw new Error(failure);
    const ok = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(1000) }).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return true;
    if (Date.now() > deadline) return false;
    await sleep(100);
  }
}

/** Waits up to 5 s for `redis-cli <args> ping` to answer PONG. */
export async function waitForRedisPing(port: number, args: string[] = []): Promise<void> {
  for (let i = 0; i < 100; i++) {
    const r = spawnSync('redis-cli', [...args, '-p', String(port), 'ping'], { encoding: 'utf8' });
    if (r.stdout?.trim() === 'PONG') return;
    await sleep(50);
  }
  throw new Error(`redis-server on port ${port} did not answer`);
}
