import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { resolve } from 'node:path';
import { freePort, waitForHealthz } from './net.ts';

export { freePort } from './net.ts';

const ROOT = resolve(import.meta.dirname, '../..');
const KEEP_LINES = 400;

/** Every child still running; killed if the test process exits without stopping them. */
const live = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of live) child.kill('SIGKILL');
});

export interface Stopped {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** How long the child took to exit after the signal. */
  ms: number;
}

/** One child process a test started. */
export interface ChildHandle {
  child: ChildProcess;
  pid: number;
  /** The last lines of stdout and stderr, for assertions and failure messages. */
  output(): string;
  /** Whether it has exited. */
  exited(): boolean;
  /** Resolves when it exits. */
  exit: Promise<Stopped>;
  /**
   * Sends `signal` (SIGTERM), then SIGKILL if the child is still there after `graceMs`
   * (10 s); resolves once it has exited, with how it ended.
   */
  stop(opts?: { signal?: NodeJS.Signals; graceMs?: number }): Promise<Stopped>;
}

/** Spawns `command`, keeps its output, and tracks it until it exits. */
export function spawnChild(
  command: string,
  args: string[],
  opts: { cwd?: string; env?: Record<string, string>; output?: boolean } = {},
): ChildHandle {
  const child = spawn(command, args, {
    cwd: opts.cwd ?? ROOT,
    env: opts.env ?? { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? tmpdir() },
    stdio: ['ignore', opts.output === false ? 'ignore' : 'pipe', opts.output === false ? 'ignore' : 'pipe'],
  });
  live.add(child);
  const lines: string[] = [];
  const keep = (chunk: Buffer) => {
    lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
    if (lines.length > KEEP_LINES) lines.splice(0, lines.length - KEEP_LINES);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  let signalledAt = Date.now();
  const exit = new Promise<Stopped>((done) =>
    child.once('exit', (code, signal) => {
      live.delete(child);
      done({ code, signal, ms: Date.now() - signalledAt });
    }),
  );
  const exited = () => child.exitCode !== null || child.signalCode !== null;
  return {
    child,
    pid: child.pid ?? 0,
    output: () => lines.join('\n'),
    exited,
    exit,
    async stop({ signal = 'SIGTERM', graceMs = 10_000 } = {}) {
      if (exited()) return exit;
      signalledAt = Date.now();
      child.kill(signal);
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      const stopped = await exit;
      clearTimeout(timer);
      return stopped;
    },
  };
}

/** A service of this repository running as its own process. */
export interface ServiceProcess extends ChildHandle {
  port: number;
  url: string;
  /** Resident memory of the process and its children, in MiB. */
  rssMiB(): number;
}

function rssOf(pid: number): number {
  try {
    const kb = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0);
    const kids = spawnSync('ps', ['-o', 'rss=', '--ppid', String(pid)], { encoding: 'utf8' }).stdout ?? '';
    return (kb + kids.split('\n').reduce((s, l) => s + (Number(l.trim()) || 0), 0)) / 1024;
  } catch {
    return 0;
  }
}

/**
 * `node <entry>` with only PATH, HOME, LOG_LEVEL=warn and `env`: compiled JavaScript (`dist/...js`,
 * built before the run) as production runs it, a TypeScript source through tsx.
 */
function spawnEntry(entry: string, env: Record<string, string>): ChildHandle {
  const loader = entry.endsWith('.ts') ? ['--import', 'tsx'] : [];
  return spawnChild(process.execPath, [...loader, resolve(ROOT, entry)], {
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? tmpdir(), LOG_LEVEL: 'warn', ...env },
  });
}

/**
 * Runs `entry` (a path such as `services/main.ts`) as its own Node process on a free port (or
 * `env.PORT`) and resolves once `/healthz` answers; a process that exits first rejects with its
 * output. The caller must `stop()` it.
 */
export async function startService(
  entry: string,
  env: Record<string, string>,
  opts: { timeoutMs?: number } = {},
): Promise<ServiceProcess> {
  const port = env.PORT ? Number(env.PORT) : await freePort();
  const handle = spawnEntry(entry, { ...env, PORT: String(port) });
  const url = `http://127.0.0.1:${port}`;
  const timeoutMs = opts.timeoutMs ?? 45_000;
  const healthy = await waitForHealthz(url, timeoutMs, () =>
    handle.exited() ? `${entry} exited with ${handle.child.exitCode}:\n${handle.output()}` : undefined,
  );
  if (!healthy) {
    await handle.stop({ signal: 'SIGKILL' });
    throw new Error(`${entry} did not answer /healthz in ${timeoutMs} ms:\n${handle.output()}`);
  }
  return { ...handle, port, url, rssMiB: () => rssOf(handle.pid) };
}

/** Runs `entry` and waits for it to exit on its own (or kills it after `timeoutMs`). */
export async function runToExit(
  entry: string,
  env: Record<string, string>,
  timeoutMs = 60_000,
): Promise<Stopped & { output: string }> {
  const handle = spawnEntry(entry, env);
  const timer = setTimeout(() => handle.child.kill('SIGKILL'), timeoutMs);
  const stopped = await handle.exit;
  clearTimeout(timer);
  return { ...stopped, output: handle.output() };
}
