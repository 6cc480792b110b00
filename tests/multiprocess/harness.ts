import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from '../helpers/net.ts';
import { type ServiceProcess, startService } from '../helpers/process.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** The four services, each started as compose starts it: `node dist/services/<name>/main.js`. */
export type ServiceName = 'gateway' | 'search' | 'ingest-worker' | 'admin';

/** One running service process, with its name. */
export interface NamedService extends ServiceProcess {
  name: ServiceName;
}

/** Runs one of the project's scripts (`scripts/<file>`, compiled) as its own process, like cron would. */
export function runScript(
  file: string,
  args: string[],
  env: Record<string, string>,
): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [join('dist', 'scripts', file.replace(/\.ts$/, '.js')), ...args], {
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
  readonly services = new Map<ServiceName, NamedService>();
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

  async start(name: ServiceName): Promise<NamedService> {
    await this.reservePorts();
    const env = { ...this.env, PORT: String(this.ports.get(name)) };
    const service = { ...(await startService(`dist/services/${name}/main.js`, env)), name };
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
    await Promise.all([...this.services.values()].map((s) => s.stop({ graceMs: 5000 })));
    this.services.clear();
    rmSync(this.root, { recursive: true, force: true });
  }
}
