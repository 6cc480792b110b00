import { loadConfig } from '../core/config.ts';
import { buildDeps } from '../core/deps.ts';
import { onShutdown, startServer } from '../http/serve.ts';
import { createApp } from './app.ts';

const config = loadConfig();
const deps = await buildDeps(config, { service: 'gateway' });
const server = await startServer(createApp(deps), { port: config.PORT, host: config.HOST });
deps.logger.info({ port: server.port }, 'gateway listening');
onShutdown(deps.logger, async () => {
  await server.stop();
  await deps.close();
});
