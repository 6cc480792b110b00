import { loadConfigOrExit } from '../core/config.ts';
import { buildDeps } from '../core/deps.ts';
import { startIngestWorker } from '../core/ingest/worker.ts';
import { onShutdown, startServer } from '../http/serve.ts';
import { createApp } from './app.ts';

const config = loadConfigOrExit();
const deps = await buildDeps(config, { service: 'gateway' });
// With Redis the gateway only enqueues and ingest workers consume; without it nobody else could.
const worker = deps.queue.kind === 'memory' ? await startIngestWorker(deps) : undefined;
const server = await startServer(createApp(deps), { port: config.PORT, host: config.HOST });
deps.logger.info({ port: server.port }, 'gateway listening');
onShutdown(deps.logger, async () => {
  worker?.stop();
  await server.stop();
  await deps.close();
});
