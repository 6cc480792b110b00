import { type RunningServer, startServer } from '../../services/http/serve.ts';
import { createApp } from '../../services/mock-oneapi/app.ts';
import {
  type ControlInput,
  createMockState,
  type MockOptions,
  type MockState,
} from '../../services/mock-oneapi/state.ts';

export interface RunningMock {
  /** Origin without `/v1`, e.g. `http://127.0.0.1:40123`. */
  url: string;
  /** The same with `/v1`. */
  baseUrl: string;
  state: MockState;
  /** Steers failures and delays over real HTTP, as a separate process would be steered. */
  control(input: ControlInput): Promise<void>;
  /** Recorded requests whose path ends with `suffix`. */
  requests(suffix?: string): MockState['requests'];
  /** Stops listening; later requests get connection refused. */
  stop(): Promise<void>;
}

/** Starts the mock ONEAPI over real HTTP on a free port of 127.0.0.1. */
export async function startMockOneApi(opts: MockOptions = {}): Promise<RunningMock> {
  const state = createMockState(opts);
  const server: RunningServer = await startServer(createApp({ state }), { port: 0, host: '127.0.0.1' });
  const url = `http://127.0.0.1:${server.port}`;
  let stopped = false;
  return {
    url,
    baseUrl: `${url}/v1`,
    state,
    async control(input) {
      const res = await fetch(`${url}/__control`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(input),
      });
      if (!res.ok) throw new Error(`mock control failed: ${res.status}`);
    },
    requests: (suffix = '') => state.requests.filter((r) => r.path.endsWith(suffix)),
    async stop() {
      if (stopped) return;
      stopped = true;
      await server.stop(100);
    },
  };
}
