import { loadConfigOrExit } from './core/config.ts';
import { buildDeps } from './core/deps.ts';
import { startIngestWorker } from './core/ingest/worker.ts';
import { maintainIndexes } from './core/search/index.ts';
import { onShutdown, startServer } from './http/serve.ts';
import { createRootApp } from './root.ts';

/**
 * The all-in-one process behind `npm start`: gateway, search, admin console and the
 * ingest worker in one Node process on one port, with embedded defaults.
 */
const config = loadConfigOrExit();
const deps = await buildDeps(config, { service: 'all-in-one' });
const worker = await startIngestWorker(deps);
// Older full text is re-analysed and a changed EMBEDDING_MODEL re-embedded in the background.
void maintainIndexes(deps);
const app = createRootApp(deps);
const server = await startServer(app, { port: config.PORT, host: config.HOST });
deps.logger.info(
  { port: server.port, dataDir: config.DATA_DIR },
  `Context OS listening on http://localhost:${server.port}`,
);
onShutdown(deps.logger, async () => {
  worker.stop();
  await server.stop();
  await deps.close();
});
