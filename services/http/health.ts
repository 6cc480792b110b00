import { Hono } from 'hono';
import type { ReadinessCheck } from '../core/deps.ts';
import type { AppEnv } from './env.ts';

const CHECK_TIMEOUT_MS = 3000;

/** One readiness check, bounded to 3 s: its state, detail and how long it took. */
export async function probe(check: ReadinessCheck) {
  const started = performance.now();
  const timeout = new Promise<{ ok: false; detail: string }>((resolve) =>
    setTimeout(() => resolve({ ok: false, detail: 'timed out' }), CHECK_TIMEOUT_MS).unref(),
  );
  const result = await Promise.race([check.check(), timeout]).catch((err: unknown) => ({
    ok: false,
    detail: err instanceof Error ? err.message : String(err),
  }));
  return { name: check.name, required: check.required, ...result, ms: Math.round(performance.now() - started) };
}

/** `/healthz`: the process answers. `/readyz`: every dependency and its state. */
export function healthRoutes(service: string, checks: ReadinessCheck[]) {
  return new Hono<AppEnv>()
    .get('/healthz', (c) => c.json({ status: 'ok', service }))
    .get('/readyz', async (c) => {
      const results = await Promise.all(checks.map(probe));
      const ready = results.every((r) => r.ok || !r.required);
      return c.json({ status: ready ? 'ready' : 'unavailable', service, checks: results }, ready ? 200 : 503);
    });
}
