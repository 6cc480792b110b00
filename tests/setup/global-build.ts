import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/**
 * Compiles the services to `dist/` once before the run (nothing to do when it is up to date),
 * so the suites that start the services as processes run what production runs.
 */
export default function setup() {
  const root = fileURLToPath(new URL('../..', import.meta.url));
  const r = spawnSync(process.execPath, ['scripts/build.mjs'], { cwd: root, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`the build failed:\n${r.stdout}\n${r.stderr}`);
}
