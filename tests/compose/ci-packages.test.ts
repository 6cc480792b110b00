import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const root = new URL('../../', import.meta.url);
const read = (path: string) => readFileSync(new URL(path, root), 'utf8');
const packages = (stage: string) =>
  execFileSync('bash', ['scripts/ci/ensure-packages.sh', '--list', stage], { cwd: root, encoding: 'utf8' })
    .trim()
    .split('\n');

describe('what CI installs on a fresh machine', () => {
  it('installs podman with everything its networking needs before the container suites run', () => {
    expect(packages('containers')).toEqual(
      expect.arrayContaining(['podman', 'runc', 'netavark', 'aardvark-dns', 'iptables', 'catatonit', 'iproute2']),
    );
    const script = read('scripts/containers/run-tests.sh');
    const install = script.indexOf('bash scripts/ci/ensure-packages.sh containers');
    expect(install).toBeGreaterThan(-1);
    expect(script.indexOf('podman ', install)).toBeGreaterThan(install);
    expect(script.slice(0, install)).not.toMatch(/^\s*podman /m);
  });

  it('runs both stages from the CI entry point, each after its packages', () => {
    expect(packages('test')).toEqual(
      expect.arrayContaining(['redis-server', 'chromium', 'tesseract-ocr', 'poppler-utils']),
    );
    // Commands as they run, not as the comments name them.
    const commands = read('.ci/run')
      .split('\n')
      .filter((line) => !line.trimStart().startsWith('#'));
    const order = ['ensure-packages.sh test', 'npm ci', 'npm test', 'npm run test:containers'].map((c) =>
      commands.findIndex((line) => line.includes(c)),
    );
    expect(order.every((i) => i > -1)).toBe(true);
    expect(order).toEqual([...order].sort((a, b) => a - b));
  });
});
