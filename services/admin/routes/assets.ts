import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Hono } from 'hono';
import type { AdminEnv } from '../env.ts';

const require = createRequire(import.meta.url);
const own = (name: string) => new URL(`../assets/${name}`, import.meta.url);

const files: Record<string, { body: Buffer; type: string }> = {
  'htmx.min.js': { body: readFileSync(require.resolve('htmx.org/dist/htmx.min.js')), type: 'text/javascript' },
  'app.js': { body: readFileSync(own('app.js')), type: 'text/javascript' },
  'style.css': { body: readFileSync(own('style.css')), type: 'text/css' },
};

/** The console's static files, all served from this app: htmx, a little script, the stylesheet. */
export function assetRoutes() {
  return new Hono<AdminEnv>().get('/:name', (c) => {
    const file = files[c.req.param('name')];
    if (!file) return c.notFound();
    c.header('Content-Type', `${file.type}; charset=utf-8`);
    c.header('Cache-Control', 'public, max-age=3600');
    return c.body(new Uint8Array(file.body));
  });
}
