import { loadConfigOrExit } from '../core/config.ts';
import { buildDeps } from '../core/deps.ts';
import { onShutdown, startServer } from '../http/serve.ts';
import { createApp } from './app.tsx';

/** The admin console on its own port (3100 unless PORT says otherwise). */
const config = loadConfigOrExit({ PORT: '3100' });
const deps = await buildDeps(config, { service: 'admin' });
const server = await startServer(createApp(deps), { port: config.PORT, host: config.HOST });
deps.logger.info({ port: server.port }, 'admin console listening');
onShutdown(deps.logger, async () => {
  await server.stop();
  await deps.close();
});
