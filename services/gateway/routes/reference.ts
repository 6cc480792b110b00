import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Hono } from 'hono';
import type { AppEnv } from '../../http/env.ts';
import { APP_VERSION } from '../../http/version.ts';
import { openApiDocument } from '../openapi/document.ts';

const require = createRequire(import.meta.url);

const INIT = `window.addEventListener('load', function () {
  window.ui = SwaggerUIBundle({ url: 'openapi.json', dom_id: '#reference', deepLinking: true, tryItOutEnabled: false });
});
`;

const PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Context OS API reference</title>
<link rel="stylesheet" href="docs/assets/swagger-ui.css">
</head>
<body>
<noscript><p>This page needs JavaScript. The document itself is at <a href="openapi.json">openapi.json</a>.</p></noscript>
<div id="reference"></div>
<script src="docs/assets/swagger-ui-bundle.js"></script>
<script src="docs/assets/init.js"></script>
</body>
</html>
`;

/** The reference page's files: Swagger UI from its npm package, served by this app (no CDN). */
const ASSETS: Record<string, { load: () => string | Buffer; type: string }> = {
  'swagger-ui.css': { load: () => readFileSync(require.resolve('swagger-ui-dist/swagger-ui.css')), type: 'text/css' },
  'swagger-ui-bundle.js': {
    load: () => readFileSync(require.resolve('swagger-ui-dist/swagger-ui-bundle.js')),
    type: 'text/javascript',
  },
  'init.js': { load: () => INIT, type: 'text/javascript' },
};

const CSP =
  "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; " +
  "connect-src 'self'; font-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/**
 * `GET /api/openapi.json` (OpenAPI 3.1 of `app`, built once on first request) and `GET /api/docs`
 * (a reference page over it). `app` is the gateway these routes are mounted in.
 */
// biome-ignore lint/suspicious/noExplicitAny: the gateway app, whatever its Env
export function referenceRoutes(app: () => Hono<any, any, any>) {
  let document: Promise<unknown> | undefined;
  const loaded = new Map<string, Uint8Array>();
  return new Hono<AppEnv>()
    .get('/openapi.json', async (c) => {
      document ??= openApiDocument(app(), APP_VERSION).catch((err: unknown) => {
        document = undefined;
        throw err;
      });
      c.header('Cache-Control', 'no-cache');
      return c.json(await document);
    })
    .get('/docs', (c) => {
      c.header('Content-Security-Policy', CSP);
      return c.html(PAGE);
    })
    .get('/docs/assets/:file', (c) => {
      const name = c.req.param('file');
      const asset = Object.hasOwn(ASSETS, name) ? ASSETS[name] : undefined;
      if (!asset) return c.notFound();
      let body = loaded.get(name);
      if (!body) {
        body = new Uint8Array(Buffer.from(asset.load()));
        loaded.set(name, body);
      }
      c.header('Content-Type', `${asset.type}; charset=utf-8`);
      c.header('Cache-Control', 'public, max-age=3600');
      return c.body(body.buffer as ArrayBuffer);
    });
}
