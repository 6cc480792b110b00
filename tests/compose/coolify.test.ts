import { describe, expect, it } from 'vitest';
import { envOf, hasLiteralSecret, loadCompose, mebibytes, readText, SECRET_KEY } from './load.ts';

const TEMPLATES = ['coolify/context-os-single.yaml', 'coolify/context-os-hybrid.yaml', 'coolify/aliyun-oneapi.yaml'];

describe.each(TEMPLATES)('%s', (file) => {
  const services = Object.entries(loadCompose(file).services);

  it('starts with the header Coolify reads', () => {
    const head = readText(file).split('\n').slice(0, 4);
    expect(head[0]).toMatch(/^# documentation: \S/);
    expect(head[1]).toMatch(/^# slogan: \S/);
    expect(head[2]).toMatch(/^# tags: [\w-]+(,[\w-]+)+$/);
    expect(head[3]).toMatch(/^# port: \d+$/);
  });

  it('gives every service a health check, or excludes a portless one from it', () => {
    for (const [name, service] of services) {
      if (service.exclude_from_hc) {
        expect(service.ports, `${name} is excluded but has ports`).toBeUndefined();
        continue;
      }
      expect(service.healthcheck?.test, `${name} has no health check`).toBeTruthy();
    }
  });

  it('takes every secret from a generated SERVICE_PASSWORD_* or a variable, and exposes one URL', () => {
    let urls = 0;
    for (const [name, service] of services) {
      for (const [key, value] of Object.entries(envOf(service))) {
        if (/^SERVICE_(URL|FQDN)_/.test(key)) urls++;
        if (SECRET_KEY.test(key)) expect(hasLiteralSecret(value), `${name}.${key}=${value}`).toBe(false);
      }
    }
    expect(urls).toBe(1);
    expect(readText(file)).toMatch(/\$SERVICE_PASSWORD_\w+/);
  });

  it('fits a 2 GB server', () => {
    const sum = services.reduce((s, [, service]) => s + mebibytes(service.mem_limit), 0);
    expect(sum).toBeLessThanOrEqual(1700);
  });
});

describe('Coolify app stacks', () => {
  it.each(TEMPLATES.slice(0, 2))('%s carries the repository nginx files unchanged', (file) => {
    const nginx = loadCompose(file).services.nginx;
    const content = (target: string) =>
      nginx?.volumes?.find((v) => typeof v === 'object' && v.target === target && typeof v.content === 'string');
    const expected: Record<string, string> = {
      '/etc/nginx/conf.d/default.conf': 'nginx/http.conf',
      '/etc/nginx/context-os/common.conf': 'nginx/snippets/common.conf',
      '/etc/nginx/context-os/proxy.conf': 'nginx/snippets/proxy.conf',
      '/etc/nginx/context-os/security-headers.conf': 'nginx/snippets/security-headers.conf',
      '/etc/nginx/context-os/locations.conf': 'nginx/snippets/locations.conf',
    };
    for (const [target, source] of Object.entries(expected)) {
      const volume = content(target);
      expect(typeof volume === 'object' ? volume.content : undefined, target).toBe(readText(source));
    }
  });

  it('runs the backup sidecar without a port, excluded from health status', () => {
    const backup = loadCompose('coolify/context-os-single.yaml').services.backup;
    expect(backup?.exclude_from_hc).toBe(true);
    expect([backup?.command ?? []].flat().join(' ')).toContain('dist/scripts/backup.js --keep');
  });
});

/** A command with the value after `--requirepass` blanked: the two files take it from different variables. */
const withoutPassword = (command: string | string[] | undefined) =>
  [command ?? []].flat().map((arg, i, all) => (all[i - 1] === '--requirepass' ? '<password>' : arg));

describe('Coolify templates against the compose files', () => {
  const pairs = [
    ['coolify/context-os-single.yaml', 'docker-compose.single.yml'],
    ['coolify/context-os-hybrid.yaml', 'docker-compose.hybrid.yml'],
  ] as const;

  it.each(pairs)('%s runs the same app services, commands, limits and variables as %s', (template, file) => {
    const coolify = loadCompose(template).services;
    const compose = loadCompose(file).services;
    for (const name of ['gateway', 'search', 'ingest-worker', 'admin', 'qdrant', 'redis']) {
      const a = coolify[name];
      const b = compose[name];
      expect(Boolean(a), `${name} in both or neither`).toBe(Boolean(b));
      if (!a || !b) continue;
      expect(withoutPassword(a.command), name).toEqual(withoutPassword(b.command));
      expect(a.mem_limit, name).toBe(b.mem_limit);
      expect(Object.keys(envOf(a)).sort(), name).toEqual(Object.keys(envOf(b)).sort());
    }
  });

  it.each([...TEMPLATES, 'docker-compose.hybrid.yml', 'compose/aliyun-oneapi.yml'])(
    '%s states its memory total truthfully',
    (file) => {
      const stated = Number(/Memory limits: (?:the default stack takes )?(\d+) MiB/.exec(readText(file))?.[1]);
      const services = Object.values(loadCompose(file).services).filter((s) => !s.profiles?.length);
      expect(services.reduce((sum, s) => sum + mebibytes(s.mem_limit), 0)).toBe(stated);
    },
  );
});
