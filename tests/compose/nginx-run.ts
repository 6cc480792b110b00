import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnChild } from '../helpers/process.ts';
import { ROOT } from './load.ts';

/** An nginx binary: NGINX_BIN, else `nginx` on PATH or in /usr/sbin. */
export function findNginx(): string | undefined {
  const candidates = [process.env.NGINX_BIN, 'nginx', '/usr/sbin/nginx'].filter((c): c is string => Boolean(c));
  return candidates.find((bin) => spawnSync(bin, ['-v'], { stdio: 'ignore' }).status === 0);
}

export interface NginxPrefix {
  dir: string;
  /** The main configuration file to pass with `-c`. */
  conf: string;
}

/**
 * Lays out a variant (`http` or `https`) of the repository's nginx files in a temp prefix, with
 * container paths, upstream hosts and ports rewritten so an unprivileged nginx can run it here.
 */
export function nginxPrefix(
  variant: 'http' | 'https',
  opts: { gateway: string; admin: string; listen: number; tlsListen?: number },
): NginxPrefix {
  const dir = mkdtempSync(join(tmpdir(), 'cos-nginx-'));
  for (const sub of ['context-os', 'certs', 'temp']) mkdirSync(join(dir, sub));
  const rewrite = (text: string) =>
    text
      .replaceAll('/etc/nginx/context-os', join(dir, 'context-os'))
      .replaceAll('/etc/nginx/certs', join(dir, 'certs'))
      .replace('server gateway:3000;', `server ${opts.gateway};`)
      .replace('server admin:3100;', `server ${opts.admin};`)
      .replaceAll(/listen (\[::\]:)?80;/g, (_, v6) => (v6 ? '' : `listen 127.0.0.1:${opts.listen};`))
      .replaceAll(/listen (\[::\]:)?443 ssl http2;/g, (_, v6) =>
        v6 ? '' : `listen 127.0.0.1:${opts.tlsListen ?? 0} ssl;`,
      );
  const snippets = join(ROOT, 'nginx', 'snippets');
  for (const name of readdirSync(snippets)) {
    writeFileSync(join(dir, 'context-os', name), rewrite(readFileSync(join(snippets, name), 'utf8')));
  }
  writeFileSync(join(dir, 'site.conf'), rewrite(readFileSync(join(ROOT, 'nginx', `${variant}.conf`), 'utf8')));
  const temp = join(dir, 'temp');
  const conf = join(dir, 'nginx.conf');
  writeFileSync(
    conf,
    [
      `pid ${join(dir, 'nginx.pid')};`,
      'error_log stderr warn;',
      'daemon off;',
      'events { worker_connections 64; }',
      'http {',
      '  access_log off;',
      ...['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map((t) => `  ${t}_temp_path ${join(temp, t)};`),
      `  include ${join(dir, 'site.conf')};`,
      '}',
    ].join('\n'),
  );
  return { dir, conf };
}

/** A throwaway self-signed certificate for the TLS variant (needs openssl). */
export function selfSignedCert(dir: string): boolean {
  if (existsSync(join(dir, 'certs', 'fullchain.pem'))) return true;
  const r = spawnSync(
    'openssl',
    ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=localhost'].concat([
      '-keyout',
      join(dir, 'certs', 'privkey.pem'),
      '-out',
      join(dir, 'certs', 'fullchain.pem'),
    ]),
    { stdio: 'ignore' },
  );
  return r.status === 0;
}

/** A running nginx in front of the test stack. */
export interface RunningNginx {
  url: string;
  stop(): Promise<void>;
}

/**
 * Runs nginx in the foreground without a master process (so it needs no user switch) over a
 * prefix made by `nginxPrefix`, and waits until its own health location answers.
 */
export async function startNginx(bin: string, prefix: NginxPrefix, port: number): Promise<RunningNginx> {
  const conf = readFileSync(prefix.conf, 'utf8').replace('daemon off;', 'daemon off;\nmaster_process off;');
  writeFileSync(prefix.conf, conf);
  const nginx = spawnChild(bin, ['-p', prefix.dir, '-c', prefix.conf]);
  const url = `http://127.0.0.1:${port}`;
  // SIGQUIT: a graceful shutdown.
  const stop = async () => {
    await nginx.stop({ signal: 'SIGQUIT', graceMs: 5000 });
  };
  for (let i = 0; i < 100; i++) {
    if (nginx.exited()) throw new Error(`nginx exited: ${nginx.output()}`);
    const ok = await fetch(`${url}/nginx-health`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return { url, stop };
    await new Promise((r) => setTimeout(r, 50));
  }
  await stop();
  throw new Error(`nginx did not answer: ${nginx.output()}`);
}
