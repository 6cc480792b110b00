import { join } from 'node:path';
import { containersEnv } from './env.ts';
import { type ExecResult, exec, podman, ROOT } from './exec.ts';

/** The single-box stack under test: the project's compose file plus the test override. */
export const COMPOSE_FILES = ['docker-compose.single.yml', join('tests', 'containers', 'compose.override.yml')];

/** Runs docker-compose on the project's files against the podman socket (DOCKER_HOST). */
export function compose(env: Record<string, string>, args: string[], timeoutMs = 600_000): Promise<ExecResult> {
  const files = COMPOSE_FILES.flatMap((f) => ['-f', join(ROOT, f)]);
  return exec('docker-compose', ['--profile', 'dev', '-p', containersEnv.composeProject, ...files, ...args], {
    env,
    timeoutMs,
  });
}

/** Ids of this project's containers (running ones unless `all`). */
export async function projectContainers(all = false): Promise<string[]> {
  const filter = `label=com.docker.compose.project=${containersEnv.composeProject}`;
  const res = await podman(['ps', ...(all ? ['-a'] : []), '-q', '--filter', filter]);
  return res.stdout.split('\n').filter(Boolean);
}

/**
 * Runs each running container's health check every `everyMs`: podman schedules health checks
 * with systemd timers, absent here, so without this `service_healthy` conditions never hold.
 */
export function tickHealthchecks(everyMs = 2_000): { stop(): Promise<void> } {
  let running = true;
  const loop = (async () => {
    while (running) {
      const ids = await projectContainers().catch(() => []);
      await Promise.all(ids.map((id) => podman(['healthcheck', 'run', id], { allowFailure: true })));
      await new Promise((r) => setTimeout(r, everyMs));
    }
  })();
  return {
    async stop() {
      running = false;
      await loop;
    },
  };
}

/** `docker-compose up -d` while ticking health checks, so dependency conditions resolve. */
export async function composeUp(env: Record<string, string>): Promise<ExecResult> {
  const ticker = tickHealthchecks();
  try {
    return await compose(env, ['up', '-d', '--no-build']);
  } finally {
    await ticker.stop();
  }
}

/** Resolves once `url` answers 200, or rejects with `describe()` after `timeoutMs`. */
export async function waitHttpOk(url: string, timeoutMs: number, describe: () => Promise<string>): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // Not listening yet.
    }
    if (Date.now() > deadline) throw new Error(`${url} did not answer 200 in ${timeoutMs} ms\n${await describe()}`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

/** Logs of every container of the project, for failure messages. */
export async function projectLogs(env: Record<string, string>): Promise<string> {
  const res = await compose(env, ['logs', '--no-color', '--tail', '30'], 60_000).catch((e: Error) => ({
    stdout: e.message,
  }));
  return res.stdout;
}
