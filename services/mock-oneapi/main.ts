import { createLogger } from '../core/logger.ts';
import { onShutdown, startServer } from '../http/serve.ts';
import { createApp } from './app.ts';

const port = Number(process.env.PORT ?? 3900);
const key = process.env.MOCK_ONEAPI_KEY?.trim() || undefined;
const dimension = Number(process.env.MOCK_EMBEDDING_DIMENSION ?? 64);
const logger = createLogger({ level: process.env.LOG_LEVEL ?? 'info', service: 'mock-oneapi' });
const server = await startServer(createApp({ key, dimension }), { port, host: process.env.HOST ?? '0.0.0.0' });
logger.info({ port: server.port, auth: Boolean(key) }, 'mock ONEAPI listening');
onShutdown(logger, () => server.stop());
