import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import {
  type ComposeService,
  envOf,
  hasLiteralSecret,
  loadCompose,
  mebibytes,
  ROOT,
  readText,
  SECRET_KEY,
} from './load.ts';

const FILES = ['docker-compose.single.yml', 'docker-compose.hybrid.yml', 'compose/aliyun-oneapi.yml'];
const OWN_IMAGES = /^\$\{(APP_IMAGE|MOCK_ONEAPI_IMAGE):-[^}]+\}$/;
const THIRD_PARTY = /^\$\{[A-Z_]+_IMAGE:-([a-z0-9./-]+):([\w.-]+)\}$/;

const entries = (file: string) => Object.entries(loadCompose(file).services);
const isDefault = (s: ComposeService) => !s.profiles || s.profiles.length === 0;
const total = (services: ComposeService[]) => services.reduce((sum, s) => sum + mebibytes(s.mem_limit), 0);

describe.each(FILES)('%s', (file) => {
  it('gives every service a health check', () => {
    for (const [name, service] of entries(file)) {
      expect(service.healthcheck?.test, `${name} has no health check`).toBeTruthy();
      expect(service.healthcheck?.disable, name).not.toBe(true);
    }
  });

  it('pins third-party images to a version and lets a variable override every image', () => {
    for (const [name, service] of entries(file)) {
      const image = service.image ?? '';
      if (OWN_IMAGES.test(image)) continue;
      const m = THIRD_PARTY.exec(image);
      expect(m, `${name}: ${image} is not \${VAR:-repo:tag}`).not.toBeNull();
      expect(m?.[2], `${name} uses latest`).not.toMatch(/^(latest|stable|main)$/);
    }
  });

  it('writes no secret into the file', () => {
    for (const [name, service] of entries(file)) {
      for (const [key, value] of Object.entries(envOf(service))) {
        if (SECRET_KEY.test(key)) expect(hasLiteralSecret(value), `${name}.${key}=${value}`).toBe(false);
      }
      const args = Array.isArray(service.command) ? service.command : [];
      const pass = args.indexOf('--requirepass');
      if (pass >= 0) expect(hasLiteralSecret(args[pass + 1] ?? ''), `${name} --requirepass`).toBe(false);
    }
  });

  it('waits for healthy dependencies that exist', () => {
    const services = loadCompose(file).services;
    for (const [name, service] of Object.entries(services)) {
      const deps = service.depends_on ?? {};
      expect(Array.isArray(deps), `${name}: depends_on without conditions`).toBe(false);
      for (const [dep, cond] of Object.entries(deps)) {
        expect(services[dep], `${name} depends on missing ${dep}`).toBeDefined();
        expect(cond.condition, `${name} -> ${dep}`).toBe('service_healthy');
      }
    }
  });

  it('fits a 2 GB server: default services within 1.6 GiB, every profile within 2 GiB', () => {
    const services = entries(file).map(([, s]) => s);
    for (const s of services) expect(s.mem_limit, 'every service has a memory limit').toBeTruthy();
    expect(total(services.filter(isDefault))).toBeLessThanOrEqual(1640);
    expect(total(services)).toBeLessThanOrEqual(2048);
  });

  it('runs Redis with append-only everysec, noeviction and a password', () => {
    for (const [, service] of entries(file).filter(([name]) => name === 'redis')) {
      const args = (service.command as string[]).join(' ');
      expect(args).toMatch(/--appendonly yes/);
      expect(args).toMatch(/--appendfsync everysec/);
      expect(args).toMatch(/--maxmemory-policy noeviction/);
      expect(args).toMatch(/--requirepass \$\{REDIS_PASSWORD:\?/);
    }
  });
});

describe('scheme C and B app services', () => {
  const required = (file: string, names: string[]) => {
    const text = readText(file);
    for (const name of names) expect(text, `${file}: ${name}`).toContain(`\${${name}:?`);
  };

  it('require their secrets with a :? message', () => {
    required('docker-compose.single.yml', ['JWT_SECRET', 'INTERNAL_TOKEN', 'REDIS_PASSWORD', 'QDRANT_API_KEY']);
    required('docker-compose.hybrid.yml', [
      'JWT_SECRET',
      'INTERNAL_TOKEN',
      'REDIS_URL',
      'ONEAPI_BASE_URL',
      'ONEAPI_KEY',
      'FILES_HOST_DIR',
    ]);
    required('compose/hybrid-qdrant.yml', ['QDRANT_API_KEY']);
    required('compose/aliyun-oneapi.yml', ['REDIS_PASSWORD', 'MYSQL_ROOT_PASSWORD', 'ONEAPI_MYSQL_PASSWORD']);
  });

  it.each(['docker-compose.single.yml', 'docker-compose.hybrid.yml'])(
    '%s runs the four services from one image, sharing one data volume',
    (file) => {
      const services = loadCompose(file).services;
      const commands = { gateway: 'gateway', search: 'search', 'ingest-worker': 'ingest-worker', admin: 'admin' };
      for (const [name, dir] of Object.entries(commands)) {
        const service = services[name];
        expect(service?.image).toBe(`\${APP_IMAGE:-context-os:latest}`);
        expect(service?.command).toEqual(['node', `dist/services/${dir}/main.js`]);
        expect(service?.volumes).toContain('app-data:/data');
        expect(envOf(service ?? {}).DATA_DIR).toBe('/data');
      }
      expect(envOf(services.gateway ?? {}).SEARCH_URL).toBe('http://search:3200');
    },
  );

  it.each([
    'docker-compose.single.yml',
    'docker-compose.hybrid.yml',
    'coolify/context-os-single.yaml',
    'coolify/context-os-hybrid.yaml',
  ])(
    '%s sizes each Node service for its memory limit: a capped heap, a small young generation, one V8 thread',
    (file) => {
      const services = loadCompose(file).services;
      for (const name of ['gateway', 'search', 'ingest-worker', 'admin']) {
        const service = services[name] ?? {};
        const options = envOf(service).NODE_OPTIONS ?? '';
        const heap = Number(/--max-old-space-size=(\d+)/.exec(options)?.[1]);
        // The heap leaves room in the limit for native memory: SQLite, jieba's dictionary, indexes.
        expect(heap, `${name}: ${options}`).toBeGreaterThan(0);
        expect(heap, name).toBeLessThanOrEqual(mebibytes(service.mem_limit) - 64);
        expect(options, name).toMatch(/--max-semi-space-size=2\b/);
        expect(options, name).toMatch(/--v8-pool-size=1\b/);
      }
    },
  );

  it('runs npm start and the start:* scripts with the image’s V8 flags', () => {
    // The image's NODE_OPTIONS are the flags every script must pass, no more and no fewer.
    const image = /^ENV NODE_OPTIONS="([^"]+)"/m.exec(readText('Dockerfile'))?.[1];
    expect(image, 'the Dockerfile sets NODE_OPTIONS').toBeTruthy();
    const expected = (image ?? '').split(' ').sort();
    expect(expected).toContain('--max-semi-space-size=2');
    expect(expected).toContain('--v8-pool-size=1');
    const { scripts } = JSON.parse(readText('package.json')) as { scripts: Record<string, string> };
    for (const name of ['start', 'start:gateway', 'start:search', 'start:worker', 'start:admin']) {
      const flags = /^exec node ((?:--[\w-]+=\S+ )*)dist\/services\/[\w/-]+\.js$/.exec(scripts[name] ?? '');
      expect(flags, `${name}: ${scripts[name]}`).not.toBeNull();
      expect((flags?.[1] ?? '').trim().split(' ').sort(), name).toEqual(expected);
    }
    // Node refuses an unknown or misspelt flag: these start.
    const run = spawnSync(process.execPath, [...expected, '-e', ''], { encoding: 'utf8' });
    expect(run.status, run.stderr).toBe(0);
  });

  it('keeps scheme B files on the bucket mount and SQLite and Qdrant on local volumes', () => {
    const services = loadCompose('docker-compose.hybrid.yml').services;
    expect(services.redis).toBeUndefined();
    expect(services.gateway?.volumes).toContain(
      `\${FILES_HOST_DIR:?set FILES_HOST_DIR to the mounted COS bucket directory}:/files`,
    );
    expect(envOf(services.gateway ?? {}).REDIS_TLS_CA_FILE).toBe(`\${REDIS_TLS_CA_FILE:-}`);
  });

  it('runs scheme B without Qdrant, with a separate Qdrant server, or with Qdrant on the host', () => {
    const base = loadCompose('docker-compose.hybrid.yml').services;
    expect(base.qdrant).toBeUndefined();
    expect(envOf(base.search ?? {}).QDRANT_URL).toBe(`\${QDRANT_URL:-}`);
    // Without Qdrant the search service holds the HNSW indexes: it gets the room for them.
    expect(mebibytes(base.search?.mem_limit)).toBeGreaterThan(500);
    const local = loadCompose('compose/hybrid-qdrant.yml').services;
    expect(local.qdrant?.volumes).toEqual(['qdrant-data:/qdrant/storage']);
    expect(local.qdrant?.healthcheck?.test).toBeTruthy();
    for (const name of ['search', 'gateway', 'ingest-worker', 'admin']) {
      expect(envOf(local[name] ?? {}).QDRANT_URL, name).toBe('http://qdrant:6333');
    }
    const merged = Object.keys({ ...base, ...local }).map((name) => ({ ...base[name], ...local[name] }));
    expect(total(merged.filter(isDefault))).toBe(1600);
  });
});

function composeBinary(): string[] | undefined {
  if (spawnSync('docker-compose', ['version'], { stdio: 'ignore' }).status === 0) return ['docker-compose'];
  if (spawnSync('docker', ['compose', 'version'], { stdio: 'ignore' }).status === 0) return ['docker', 'compose'];
  return undefined;
}

const binary = composeBinary();
if (!binary) console.warn('[compose] no docker-compose or `docker compose`: skipping `config -q` checks');

describe.skipIf(!binary)('docker-compose config -q', () => {
  const env: Record<string, string> = {
    ...process.env,
    JWT_SECRET: 'j'.repeat(48),
    INTERNAL_TOKEN: 'i'.repeat(32),
    REDIS_PASSWORD: 'redispassword',
    REDIS_URL: 'rediss://:redispassword@203.0.113.10:6380/0',
    QDRANT_API_KEY: 'qdrantkey',
    ONEAPI_BASE_URL: 'https://oneapi.example.com/v1',
    ONEAPI_KEY: 'sk-test',
    FILES_HOST_DIR: '/mnt/cos/context-os/files',
    MYSQL_ROOT_PASSWORD: 'root',
    ONEAPI_MYSQL_PASSWORD: 'oneapi',
    ONEAPI_SESSION_SECRET: 'session',
  };
  const run = (file: string, extra: string[] = [], vars = env) => {
    const [cmd = 'docker-compose', ...pre] = binary ?? [];
    return spawnSync(cmd, [...pre, '-f', file, ...extra, 'config', '-q'], { cwd: ROOT, env: vars, encoding: 'utf8' });
  };

  it.each(FILES)('accepts %s', (file) => {
    const r = run(file, file.includes('single') ? ['--profile', 'oneapi', '--profile', 'dev'] : []);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
  });

  it('accepts scheme B with Qdrant on the host', () => {
    const r = run('docker-compose.hybrid.yml', ['-f', 'compose/hybrid-qdrant.yml']);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
  });

  it('refuses to start scheme C without JWT_SECRET, naming it', () => {
    const { JWT_SECRET: _, ...rest } = env;
    const r = run('docker-compose.single.yml', [], rest);
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain('JWT_SECRET');
  });
});

describe('env examples', () => {
  it.each([
    ['docker-compose.single.yml', 'compose/single.env.example'],
    ['docker-compose.hybrid.yml', 'compose/hybrid.env.example'],
    ['compose/hybrid-qdrant.yml', 'compose/hybrid.env.example'],
    ['compose/aliyun-oneapi.yml', 'compose/aliyun.env.example'],
  ])('%s: %s names every required variable', (file, example) => {
    const required = new Set([...readText(file).matchAll(/\$\{([A-Z0-9_]+):\?/g)].map((m) => m[1]));
    const named = new Set([...readText(example).matchAll(/^#?\s*([A-Z0-9_]+)=/gm)].map((m) => m[1]));
    expect([...required].filter((v) => !named.has(v))).toEqual([]);
  });
});
