// A child process that parses files on request, so a hostile file (a zip bomb, a PDF that
// expands without end) exhausts this process's heap instead of the service's. Plain
// JavaScript: beside the compiled parsers it imports them; beside the TypeScript sources
// (development, tests) it loads them through tsx.
// It leads its own process group: the parent ends it together with any OCR tool it started.
import { existsSync } from 'node:fs';

const compiled = new URL('./index.js', import.meta.url);
const { parseFile } = existsSync(compiled)
  ? await import(compiled.href)
  : await (await import('tsx/esm/api')).tsImport('./index.ts', import.meta.url);

process.on('message', async ({ id, kind, bytes, options }) => {
  try {
    const parsed = await parseFile(kind, new Uint8Array(bytes), {
      ...options,
      onOcrProgress: (done, total) => process.send({ id, progress: { done, total } }),
    });
    process.send({ id, ok: true, parsed });
  } catch (err) {
    const permanent = err?.name === 'IngestError';
    process.send({ id, ok: false, permanent, message: err instanceof Error ? err.message : String(err) });
  }
});
// The service is gone: take the tools this process started along.
process.on('disconnect', () => process.kill(-process.pid, 'SIGKILL'));
process.send({ ready: true });
