import { ConfigError, loadConfig } from '../core/config.ts';
import { buildDeps } from '../core/deps.ts';
import { onShutdown, startServer } from '../http/serve.ts';
import { createApp } from './app.tsx';

/** The admin console on its own port (3100 unless PORT says otherwise). */
let config: ReturnType<typeof loadConfig>;
try {
  config = loadConfig({ PORT: '3100', ...process.env });
} catch (err) {
  if (err instanceof ConfigError) {
    console.error(err.message);
    process.exit(1);
  }
  throw err;
}
const deps = await buildDeps(config, { service: 'admin' });
const server = await startServer(createApp(deps), { port: config.PORT, host: config.HOST });
deps.logger.info({ port: server.port }, 'admin console listening');
onShutdown(deps.logger, async () => {
  await server.stop();
  await deps.close();
});
