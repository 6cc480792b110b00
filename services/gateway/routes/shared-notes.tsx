import { createHash } from 'node:crypto';
import { Hono } from 'hono';
import type { Deps } from '../../core/deps.ts';
import { AppError } from '../../core/errors.ts';
import { getSharedNote, type Note } from '../../core/notes/index.ts';
import type { AppEnv } from '../../http/env.ts';

const CSS =
  'body{font:16px/1.6 system-ui,sans-serif;max-width:46rem;margin:2rem auto;padding:0 1rem;color:#222}' +
  'h1{font-size:1.6rem}.content{white-space:pre-wrap;word-wrap:break-word}footer{margin-top:3rem;color:#777;font-size:.85rem}';

/** Only this exact stylesheet may apply; no script, image, frame or form is allowed at all. */
const CSP = [
  "default-src 'none'",
  `style-src 'sha256-${createHash('sha256').update(CSS).digest('base64')}'`,
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

function SharedNotePage({ note }: { note: Note }) {
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="robots" content="noindex" />
        <title>{note.title}</title>
        <style dangerouslySetInnerHTML={{ __html: CSS }} />
      </head>
      <body>
        <main>
          <h1>{note.title}</h1>
          <div class="content">{note.content}</div>
        </main>
        <footer>
          Shared read-only from Context OS · updated {new Date(note.updatedAt).toISOString().slice(0, 10)}
        </footer>
      </body>
    </html>
  );
}

function NotFoundPage() {
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <title>Not found</title>
      </head>
      <body>
        <p>This note does not exist or is no longer shared.</p>
      </body>
    </html>
  );
}

/** `GET /shared/notes/:token`: the public read-only page of a shared note; escaped, strict CSP. */
export function sharedNoteRoutes(deps: Deps) {
  return new Hono<AppEnv>().get('/notes/:token', (c) => {
    c.header('Content-Security-Policy', CSP);
    c.header('Cache-Control', 'no-store');
    c.header('Referrer-Policy', 'no-referrer');
    c.header('X-Robots-Tag', 'noindex');
    try {
      return c.html(`<!doctype html>${SharedNotePage({ note: getSharedNote(deps.db, c.req.param('token')) })}`);
    } catch (err) {
      if (err instanceof AppError && err.code === 'not_found') return c.html(`<!doctype html>${NotFoundPage()}`, 404);
      throw err;
    }
  });
}
