import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort, waitForHealthz } from '../helpers/net.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** The four services, each started as `node --import tsx services/<name>/main.ts`. */
export type ServiceName = 'gateway' | 'search' | 'ingest-worker' | 'admin';

/** True when a service's entry point exists in the working tree. */
export const hasService = (name: ServiceName) => existsSync(join(ROOT, 'services', name, 'main.ts'));

const live = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of live) child.kill('SIGKILL');
});

/** One running service process. */
export interface ServiceProcess {
  name: ServiceName;
  port: number;
  url: string;
  pid: number;
  /** The last lines it wrote, for failure messages. */
  output(): string;
  /** Resident memory of the process and its children, in MiB. */
  rssMiB(): number;
  /** SIGTERM, then SIGKILL after `graceMs`; resolves with the exit code (null when killed). */
  stop(graceMs?: number): Promise<number | null>;
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

/** Spawns one service with the given environment and waits until its /healthz answers 200. */
export async function startService(
  name: ServiceName,
  env: Record<string, string>,
  opts: { port?: number; timeoutMs?: number } = {},
): Promise<ServiceProcess> {
  const port = opts.port ?? (await freePort());
  const lines: string[] = [];
  const child = spawn(process.execPath, ['--import', 'tsx', join('services', name, 'main.ts')], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? tmpdir(), ...env, PORT: String(port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  live.add(child);
  const keep = (chunk: Buffer) => {
    lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
    if (lines.length > 200) lines.splice(0, lines.length - 200);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => {
      live.delete(child);
      resolve(code);
    }),
  );
  const url = `http://127.0.0.1:${port}`;
  const service: ServiceProcess = {
    name,
    port,
    url,
    pid: child.pid ?? 0,
    output: () => lines.slice(-30).join('\n'),
    rssMiB: () => rssOf(child.pid ?? 0),
    async stop(graceMs = 10_000) {
      if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      const code = await exited;
      clearTimeout(timer);
      return code;
    },
  };
  const healthy = await waitForHealthz(url, opts.timeoutMs ?? 45_000, () =>
    child.exitCode !== null ? `${name} exited with ${child.exitCode}:\n${service.output()}` : undefined,
  );
  if (healthy) return service;
  await service.stop(1000);
  throw new Error(`${name} did not answer /healthz in time:\n${service.output()}`);
}

/** Runs one of the project's scripts (`scripts/<file>`) as its own process, like cron would. */
export function runScript(
  file: string,
  args: string[],
  env: Record<string, string>,
): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, ['--import', 'tsx', join('scripts', file), ...args], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? tmpdir(), ...env },
    encoding: 'utf8',
    timeout: 30_000,
  });
  return { status: r.status, stdout: r.stdout ?? '', stderr: r.stderr ?? '' };
}

/** Redis URL on a database of its own, so this stack's queue never meets another suite's workers. */
export function ownDatabase(redisUrl: string, db: number): string {
  const url = new URL(redisUrl);
  url.pathname = `/${db}`;
  return url.toString();
}

/**
 * A compose-like stack of service processes: one shared temp DATA_DIR and FILES_DIR, one
 * Redis, SEARCH_URL and INTERNAL_TOKEN wired as in docker-compose.single.yml.
 */
export class Stack {
  readonly root = mkdtempSync(join(tmpdir(), 'cos-stack-'));
  readonly services = new Map<ServiceName, ServiceProcess>();
  readonly env: Record<string, string>;
  /** False: no SEARCH_URL, so the gateway searches in-process (the embedded layout). */
  remoteSearch = true;
  private readonly ports = new Map<ServiceName, number>();

  constructor(redisUrl: string, extra: Record<string, string> = {}) {
    for (const dir of ['data', 'files', 'backups']) mkdirSync(join(this.root, dir), { recursive: true });
    this.env = {
      NODE_ENV: 'production',
      HOST: '127.0.0.1',
      DATA_DIR: join(this.root, 'data'),
      FILES_DIR: join(this.root, 'files'),
      BACKUP_DIR: join(this.root, 'backups'),
      JWT_SECRET: randomBytes(36).toString('base64url'),
      INTERNAL_TOKEN: randomBytes(24).toString('base64url'),
      REDIS_URL: redisUrl,
      LOG_LEVEL: 'warn',
      ...extra,
    };
  }

  /** Reserves every port up front so SEARCH_URL is known before the search service runs. */
  async reservePorts(): Promise<void> {
    for (const name of ['gateway', 'search', 'ingest-worker', 'admin'] as const) {
      if (!this.ports.has(name)) this.ports.set(name, await freePort());
    }
    if (this.remoteSearch) this.env.SEARCH_URL = `http://127.0.0.1:${this.ports.get('search')}`;
  }

  async start(name: ServiceName): Promise<ServiceProcess> {
    await this.reservePorts();
    const service = await startService(name, this.env, { port: this.ports.get(name) });
    this.services.set(name, service);
    return service;
  }

  async stop(name: ServiceName): Promise<void> {
    await this.services.get(name)?.stop();
    this.services.delete(name);
  }

  url(name: ServiceName): string {
    const port = this.ports.get(name);
    if (!port) throw new Error(`${name} has no port yet`);
    return `http://127.0.0.1:${port}`;
  }

  /** Stops every service (even after a failed test) and removes the temp directories. */
  async close(): Promise<void> {
    await Promise.all([...this.services.values()].map((s) => s.stop(5000)));
    this.services.clear();
    rmSync(this.root, { recursive: true, force: true });
  }
}
