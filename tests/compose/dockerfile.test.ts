import { describe, expect, it } from 'vitest';
import { readText } from './load.ts';

const dockerfile = readText('Dockerfile');
const stages = dockerfile.split(/^FROM /m).slice(1);
const runtime = stages.at(-1) ?? '';
const ignore = readText('.dockerignore').split('\n');

describe('Dockerfile', () => {
  it('builds on an overridable Node LTS slim base, in two stages', () => {
    expect(dockerfile).toMatch(/^ARG NODE_IMAGE=node:(20|22|24)-bookworm-slim$/m);
    expect(stages).toHaveLength(2);
    for (const stage of stages) expect(stage.startsWith(`\${NODE_IMAGE}`)).toBe(true);
  });

  it('installs the build tools and every dependency only in the build stage, then prunes dev ones', () => {
    const build = stages[0] ?? '';
    expect(build).toMatch(/apt-get install[^\n]*python3 make g\+\+/);
    expect(build).toMatch(/npm ci\b/);
    expect(build).toMatch(/npm prune --omit=dev/);
    expect(runtime).not.toMatch(/g\+\+|npm (ci|install)/);
  });

  it('ships Tesseract (Chinese and English) and poppler for OCR, without recommended extras', () => {
    const install = /apt-get install -y --no-install-recommends ([^&]*)&&/.exec(runtime.replace(/\\\n/g, ' '));
    const packages = (install?.[1] ?? '').split(/\s+/);
    for (const pkg of ['tesseract-ocr', 'tesseract-ocr-chi-sim', 'tesseract-ocr-eng', 'poppler-utils']) {
      expect(packages).toContain(pkg);
    }
  });

  it('runs as a non-root user under tini with a Node health check', () => {
    expect(runtime).toMatch(/^USER node$/m);
    expect(runtime).toMatch(/^ENTRYPOINT \["tini", "--"\]$/m);
    const health = /^HEALTHCHECK [^\n]*\\\n\s*CMD \["node", "-e", "([^\n]*)"\]$/m.exec(runtime);
    expect(health?.[1]).toContain('/healthz');
    expect(health?.[1]).toContain('process.env.PORT');
    const instructions = runtime.split('\n').filter((line) => !line.trimStart().startsWith('#'));
    expect(instructions.join('\n')).not.toMatch(/curl|wget/);
  });

  it('keeps secrets, data, tests and git out of the build context', () => {
    for (const entry of ['.git', 'node_modules', 'data', '.env', '.env.*', 'tests']) expect(ignore).toContain(entry);
  });
});
