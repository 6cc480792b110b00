import { loadConfigOrExit } from '../core/config.ts';
import { buildDeps } from '../core/deps.ts';
import { maintainIndexes } from '../core/search/index.ts';
import { onShutdown, startServer } from '../http/serve.ts';
import { createApp } from './app.ts';

/** The search service on its own port (3200 unless PORT says otherwise). */
const config = loadConfigOrExit({ PORT: '3200' });
const deps = await buildDeps(config, { service: 'search' });
// Older full text is re-analysed and a changed EMBEDDING_MODEL re-embedded in the background.
void maintainIndexes(deps);
const server = await startServer(createApp(deps), { port: config.PORT, host: config.HOST });
deps.logger.info({ port: server.port }, 'search listening');
onShutdown(deps.logger, async () => {
  await server.stop();
  await deps.close();
});
