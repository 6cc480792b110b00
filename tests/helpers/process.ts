import { type ChildProcess, spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { freePort, waitForHealthz } from './net.ts';

export { freePort } from './net.ts';

const ROOT = resolve(import.meta.dirname, '../..');

export interface ServiceProcess {
  child: ChildProcess;
  port: number;
  url: string;
  /** stdout and stderr so far, for assertions and failure messages. */
  output(): string;
  /** Sends `signal` and resolves with the exit code and how long the exit took. */
  stop(signal?: NodeJS.Signals): Promise<{ code: number | null; ms: number }>;
}

/**
 * Runs `entry` (a path under services/) as its own Node process with tsx, on a free port,
 * and resolves once `/healthz` answers. The caller must `stop()` it (afterEach/afterAll).
 */
export async function startService(
  entry: string,
  env: Record<string, string>,
  timeoutMs = 20_000,
): Promise<ServiceProcess> {
  const port = env.PORT ? Number(env.PORT) : await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', resolve(ROOT, entry)], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', LOG_LEVEL: 'warn', ...env, PORT: String(port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout?.on('data', (d) => {
    out += d;
  });
  child.stderr?.on('data', (d) => {
    out += d;
  });
  const url = `http://127.0.0.1:${port}`;
  const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
  const healthy = await waitForHealthz(url, timeoutMs, () =>
    child.exitCode !== null ? `${entry} exited with ${child.exitCode}:\n${out}` : undefined,
  );
  if (!healthy) {
    child.kill('SIGKILL');
    throw new Error(`${entry} did not become healthy in ${timeoutMs} ms:\n${out}`);
  }
  return {
    child,
    port,
    url,
    output: () => out,
    async stop(signal = 'SIGTERM') {
      const started = Date.now();
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      const code = await exited;
      return { code, ms: Date.now() - started };
    },
  };
}
