import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { envOf, loadCompose, readText } from './load.ts';
import { findNginx, nginxPrefix, selfSignedCert } from './nginx-run.ts';

const locations = readText('nginx/snippets/locations.conf');
const common = readText('nginx/snippets/common.conf');

/** The body of `location <match> { ... }` (locations here hold no nested blocks). */
function location(match: string): string {
  const escaped = match.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const m = new RegExp(`location\\s+${escaped}\\s*\\{([^}]*)\\}`).exec(locations);
  if (!m?.[1]) throw new Error(`no location ${match}`);
  return m[1];
}

const seconds = (body: string) => Number(/proxy_read_timeout\s+(\d+)s;/.exec(body)?.[1] ?? 0);

describe('nginx configuration', () => {
  it('accepts uploads up to the compose upload limit, and not far beyond', () => {
    const env = envOf(loadCompose('docker-compose.single.yml').services.gateway ?? {});
    const limitMb = Number(/:-(\d+)\}/.exec(env.MAX_UPLOAD_MB ?? '')?.[1]);
    const bodyMb = Number(/client_max_body_size\s+(\d+)m;/.exec(locations)?.[1]);
    expect(limitMb).toBe(50);
    expect(bodyMb).toBeGreaterThanOrEqual(limitMb);
    expect(bodyMb).toBeLessThanOrEqual(limitMb + 2);
  });

  it.each(['/api/chat/', '= /v1/chat/completions'])('streams %s unbuffered with a long read timeout', (match) => {
    const body = location(match);
    expect(body).toMatch(/proxy_buffering off;/);
    expect(body).toMatch(/proxy_cache off;/);
    expect(seconds(body)).toBeGreaterThanOrEqual(300);
    expect(body).toContain('proxy_pass http://context_os_gateway;');
  });

  it('rate-limits sign-in, sign-up and the API', () => {
    expect(common).toMatch(/limit_req_zone \$binary_remote_addr zone=context_os_auth:\S+ rate=\d+r\/m;/);
    expect(common).toMatch(/limit_req_status 429;/);
    expect(location('~ ^/api/auth/(login|register)$')).toMatch(/limit_req zone=context_os_auth/);
    expect(location('~ ^/(login|signup)$')).toMatch(/limit_req zone=context_os_auth/);
    for (const match of ['/api/', '/v1/', '= /mcp', '/shared/']) {
      expect(location(match)).toMatch(/limit_req zone=context_os_api/);
    }
  });

  it('sends /api, /v1, /mcp, /shared and /healthz to the gateway and the rest to the console', () => {
    expect(common).toMatch(/upstream context_os_gateway \{\s*server gateway:3000;/);
    expect(common).toMatch(/upstream context_os_admin \{\s*server admin:3100;/);
    for (const match of ['/api/', '/v1/', '= /mcp', '/shared/', '= /healthz']) {
      expect(location(match)).toContain('proxy_pass http://context_os_gateway;');
    }
    expect(location('/')).toContain('proxy_pass http://context_os_admin;');
  });

  it('adds security headers and, with TLS, redirects HTTP to HTTPS', () => {
    const headers = readText('nginx/snippets/security-headers.conf');
    for (const h of ['X-Content-Type-Options', 'X-Frame-Options', 'Referrer-Policy']) expect(headers).toContain(h);
    const https = readText('nginx/https.conf');
    expect(https).toMatch(/return 301 https:\/\/\$host\$request_uri;/);
    expect(https).toMatch(/listen 443 ssl/);
    expect(https).toContain('Strict-Transport-Security');
    expect(https).toContain('include /etc/nginx/context-os/security-headers.conf;');
    expect(readText('nginx/http.conf')).toContain('include /etc/nginx/context-os/security-headers.conf;');
  });
});

const nginx = findNginx();
if (!nginx) console.warn('[nginx] no nginx binary (NGINX_BIN, PATH, /usr/sbin): skipping `nginx -t`');

describe.skipIf(!nginx)('nginx -t', () => {
  it.each(['http', 'https'] as const)('accepts the %s variant', (variant) => {
    const prefix = nginxPrefix(variant, {
      gateway: '127.0.0.1:9',
      admin: '127.0.0.1:9',
      listen: 18080,
      tlsListen: 18443,
    });
    try {
      if (variant === 'https') expect(selfSignedCert(prefix.dir)).toBe(true);
      const r = spawnSync(nginx ?? 'nginx', ['-t', '-p', prefix.dir, '-c', prefix.conf], { encoding: 'utf8' });
      expect(r.stderr).toContain('test is successful');
      expect(r.status).toBe(0);
    } finally {
      rmSync(prefix.dir, { recursive: true, force: true });
    }
  });
});
