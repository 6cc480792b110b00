// A child process that parses files on request, so a hostile file (a zip bomb, a PDF that
// expands without end) exhausts this process's heap instead of the service's. Plain
// JavaScript so it loads the TypeScript parsers through tsx whatever runs the parent.
import { tsImport } from 'tsx/esm/api';

const { parseFile } = await tsImport('./index.ts', import.meta.url);

process.on('message', async ({ id, kind, bytes }) => {
  try {
    const parsed = await parseFile(kind, new Uint8Array(bytes));
    process.send({ id, ok: true, parsed });
  } catch (err) {
    const permanent = err?.name === 'IngestError';
    process.send({ id, ok: false, permanent, message: err instanceof Error ? err.message : String(err) });
  }
});
process.send({ ready: true });
