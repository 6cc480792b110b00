import { type ServerType, serve } from '@hono/node-server';
import type { Hono } from 'hono';
import type { Logger } from '../core/logger.ts';
import { closeAfterEarlyAnswer } from './early-answer.ts';

export interface RunningServer {
  port: number;
  server: ServerType;
  /** Stops accepting, lets in-flight requests finish (up to `graceMs`), then resolves. */
  stop(graceMs?: number): Promise<void>;
}

// biome-ignore lint/suspicious/noExplicitAny: any Hono app, whatever its Env
type AnyHono = Hono<any, any, any>;

/**
 * Serves `app` on `port` (0 picks a free one) and resolves once listening. An answer given
 * before the request body arrived closes its connection (`closeAfterEarlyAnswer`).
 */
export function startServer(app: AnyHono, opts: { port: number; host?: string }): Promise<RunningServer> {
  return new Promise((resolve, reject) => {
    const server = serve(
      { fetch: closeAfterEarlyAnswer(app.fetch), port: opts.port, hostname: opts.host ?? '0.0.0.0' },
      (info) => {
        resolve({
          port: info.port,
          server,
          stop: (graceMs = 10_000) =>
            new Promise<void>((done) => {
              const timer = setTimeout(() => {
                if ('closeAllConnections' in server) server.closeAllConnections();
                done();
              }, graceMs);
              timer.unref();
              server.close(() => {
                clearTimeout(timer);
                done();
              });
              if ('closeIdleConnections' in server) server.closeIdleConnections();
            }),
        });
      },
    );
    server.once('error', reject);
  });
}

/**
 * Wires SIGTERM and SIGINT to a graceful stop: stop accepting, finish in-flight work,
 * close dependencies, exit. A second signal exits at once.
 */
export function onShutdown(logger: Logger, stop: () => Promise<void>): void {
  let stopping = false;
  const handler = (signal: NodeJS.Signals) => {
    if (stopping) process.exit(1);
    stopping = true;
    logger.info({ signal }, 'shutting down');
    stop()
      .then(() => {
        logger.info('stopped');
        logger.flush?.();
        process.exit(0);
      })
      .catch((err: unknown) => {
        logger.error({ err }, 'shutdown failed');
        process.exit(1);
      });
  };
  process.on('SIGTERM', handler);
  process.on('SIGINT', handler);
}
