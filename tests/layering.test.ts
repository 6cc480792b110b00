import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '..', 'services');
/** The services: each may use core and http, never another service. */
const SERVICES = ['gateway', 'admin', 'search', 'ingest-worker', 'mock-oneapi'];
/** The all-in-one process composes every service. */
const COMPOSITION_ROOTS = ['main.ts', 'root.ts'];

interface Source {
  /** Path under services/, e.g. `core/kbs/index.ts`. */
  file: string;
  imports: string[];
}

function sources(dir: string): Source[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return sources(path);
    if (!/\.(ts|tsx|mjs)$/.test(e.name) || /\.test\.tsx?$/.test(e.name)) return [];
    const text = readFileSync(path, 'utf8');
    const specs = [...text.matchAll(/(?:\bfrom\s*|\bimport\s*\(?\s*)['"]([^'"]+)['"]/g)].map((m) => m[1] ?? '');
    return [{ file: relative(ROOT, path), imports: specs.filter(Boolean) }];
  });
}

/** The imports that break the layers: core uses neither hono nor anything outside core; http only core. */
function violations(files: Source[]): string[] {
  const out: string[] = [];
  for (const { file, imports } of files) {
    const [layer = ''] = file.split('/');
    if (COMPOSITION_ROOTS.includes(file)) continue;
    for (const spec of imports) {
      const to = spec.startsWith('.') ? relative(ROOT, resolve(ROOT, dirname(file), spec)).split('/')[0] : undefined;
      const allowed =
        layer === 'core'
          ? to === undefined
            ? !/^(hono|@hono\/)/.test(spec)
            : to === 'core'
          : layer === 'http'
            ? to === undefined || to === 'core' || to === 'http'
            : !SERVICES.includes(layer) || to === undefined || [layer, 'core', 'http'].includes(to);
      if (!allowed) out.push(`${file} imports ${spec}`);
    }
  }
  return out;
}

describe('layering', () => {
  it('keeps core free of hono and of the services, http free of the services, each service free of the others', () => {
    const files = sources(ROOT);
    expect(files.length).toBeGreaterThan(100);
    expect(violations(files)).toEqual([]);
  });

  it('notices core importing hono or a service, and a service importing another', () => {
    expect(
      violations([
        { file: 'core/kbs/index.ts', imports: ['hono', '@hono/node-server', '../../gateway/app.ts', '../db/index.ts'] },
        { file: 'http/auth.ts', imports: ['../admin/env.ts', '../core/errors.ts'] },
        { file: 'search/app.ts', imports: ['../gateway/routes/health.ts', '../http/health.ts', './internal-auth.ts'] },
        { file: 'root.ts', imports: ['./gateway/app.ts', './admin/app.tsx'] },
      ]),
    ).toEqual([
      'core/kbs/index.ts imports hono',
      'core/kbs/index.ts imports @hono/node-server',
      'core/kbs/index.ts imports ../../gateway/app.ts',
      'http/auth.ts imports ../admin/env.ts',
      'search/app.ts imports ../gateway/routes/health.ts',
    ]);
  });
});
