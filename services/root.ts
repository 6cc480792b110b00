import { Hono } from 'hono';
import { createApp as createConsole } from './admin/app.tsx';
import type { Deps } from './core/deps.ts';
import { createApp as createGateway } from './gateway/app.ts';

/** Paths the gateway answers in the all-in-one process; everything else is the console. */
export const GATEWAY_PREFIXES = ['/api', '/v1', '/shared', '/healthz', '/readyz', '/metrics'];

const isGatewayPath = (path: string) => GATEWAY_PREFIXES.some((p) => path === p || path.startsWith(`${p}/`));

/** One app on one port: the public API and the console side by side, sharing the same deps. */
export function createRootApp(deps: Deps) {
  const gateway = createGateway(deps);
  const consoleApp = createConsole(deps);
  return new Hono().all('*', (c) =>
    isGatewayPath(c.req.path) ? gateway.fetch(c.req.raw, c.env) : consoleApp.fetch(c.req.raw, c.env),
  );
}
