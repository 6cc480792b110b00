import { readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, readText } from './load.ts';

const dockerfile = readText('services/mock-oneapi/Dockerfile');

/** The sources the image copies in, as repository paths (a directory covers what is under it). */
const copied = [...dockerfile.matchAll(/^COPY (?!--)(.+)$/gm)].flatMap((m) => (m[1] ?? '').split(/\s+/).slice(0, -1));

/** Every project file `entry` imports, directly or through other project files. */
function projectImports(entry: string): string[] {
  const seen = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    const text = readFileSync(join(ROOT, file), 'utf8');
    for (const m of text.matchAll(/(?:from|import)\s*\(?\s*'(\.{1,2}\/[^']+)'/g)) {
      visit(relative(ROOT, join(ROOT, dirname(file), m[1] ?? '')));
    }
  };
  visit(entry);
  return [...seen];
}

describe('mock ONEAPI Dockerfile', () => {
  it('copies every project file its entry point imports', () => {
    const cmd = /^CMD \[.*"(services\/mock-oneapi\/[^"]+)"\]$/m.exec(dockerfile)?.[1];
    expect(cmd).toBeDefined();
    const missing = projectImports(cmd ?? '').filter(
      (file) => !copied.some((src) => file === src || file.startsWith(`${src.replace(/\/$/, '')}/`)),
    );
    expect(missing, 'add a COPY line for each').toEqual([]);
  });
});
