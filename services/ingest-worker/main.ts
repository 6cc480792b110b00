import { loadConfigOrExit } from '../core/config.ts';
import { buildDeps } from '../core/deps.ts';
import { startIngestWorker } from '../core/ingest/worker.ts';
import { onShutdown, startServer } from '../http/serve.ts';
import { createApp } from './app.ts';

const DEFAULT_PORT = 3300;

const config = loadConfigOrExit({ PORT: String(DEFAULT_PORT) });
const deps = await buildDeps(config, { service: 'ingest-worker' });
const worker = await startIngestWorker(deps);
const server = await startServer(createApp(deps), { port: config.PORT, host: config.HOST });
deps.logger.info({ port: server.port, queue: deps.queue.kind }, 'ingest worker listening');
onShutdown(deps.logger, async () => {
  worker.stop();
  await server.stop();
  // Closing the queue stops taking jobs and waits for the active ones.
  await deps.close();
});
