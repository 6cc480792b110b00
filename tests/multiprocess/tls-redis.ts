import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, waitForRedisPing } from '../helpers/net.ts';
import { spawnChild } from '../helpers/process.ts';

/** A redis-server that speaks only TLS, with a password, as on scheme B's Aliyun server. */
export interface TlsRedis {
  url: string;
  caFile: string;
  stop(): Promise<void>;
}

function openssl(dir: string, args: string[]): void {
  const r = spawnSync('openssl', args, { cwd: dir, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`openssl ${args[0]} failed: ${r.stderr}`);
}

/** True when openssl and redis-server are on PATH (Debian's redis-server is built with TLS). */
export function canRunTlsRedis(): boolean {
  if (spawnSync('openssl', ['version'], { stdio: 'ignore' }).status !== 0) return false;
  return spawnSync('redis-server', ['--version'], { stdio: 'ignore' }).status === 0;
}

/**
 * Makes a private CA and a server certificate for 127.0.0.1 (the README's openssl steps) and
 * starts redis-server on a TLS port only, password required, noeviction.
 */
export async function startTlsRedis(password: string): Promise<TlsRedis> {
  const dir = mkdtempSync(join(tmpdir(), 'cos-tls-redis-'));
  openssl(
    dir,
    ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=test CA'].concat([
      '-keyout',
      'ca.key',
      '-out',
      'ca.crt',
    ]),
  );
  openssl(dir, [
    'req',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-subj',
    '/CN=redis',
    '-keyout',
    'redis.key',
    '-out',
    'redis.csr',
  ]);
  writeFileSync(join(dir, 'san.ext'), 'subjectAltName=IP:127.0.0.1\n');
  openssl(
    dir,
    ['x509', '-req', '-in', 'redis.csr', '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial'].concat([
      '-days',
      '1',
      '-extfile',
      'san.ext',
      '-out',
      'redis.crt',
    ]),
  );
  const port = await freePort();
  const child = spawnChild(
    'redis-server',
    ['--port', '0', '--tls-port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', '', '--appendonly', 'no']
      .concat(['--tls-cert-file', 'redis.crt', '--tls-key-file', 'redis.key', '--tls-ca-cert-file', 'ca.crt'])
      .concat(['--tls-auth-clients', 'no', '--requirepass', password, '--maxmemory-policy', 'noeviction']),
    { cwd: dir, output: false },
  );
  const caFile = join(dir, 'ca.crt');
  try {
    await waitForRedisPing(port, ['--tls', '--cacert', caFile, '--no-auth-warning', '-a', password]);
  } catch (err) {
    await child.stop({ signal: 'SIGKILL' });
    throw err;
  }
  return {
    url: `rediss://:${password}@127.0.0.1:${port}/0`,
    caFile,
    async stop() {
      await child.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
