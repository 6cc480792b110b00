// Compiles the services to JavaScript under dist/ (what the images and `npm start` run, so no
// TypeScript loader sits in a running process) and copies beside the code the files it reads
// at run time. Does nothing when dist/ is newer than every source; `--force` builds anyway.
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const dist = join(root, 'dist');
const stampFile = join(dist, '.built');
const sources = [
  'services',
  'scripts/backup.ts',
  'scripts/restore.ts',
  'tsconfig.json',
  'tsconfig.build.json',
  'package.json',
  'scripts/build.mjs',
];
/** Files the compiled code opens relative to itself (package.json for the version the API reports). */
const assets = [
  'services/core/db/migrations',
  'services/core/ingest/parsers/parse-child.mjs',
  'services/admin/assets',
  'package.json',
];

const newest = (path) => {
  const st = statSync(path);
  if (!st.isDirectory()) return st.mtimeMs;
  return readdirSync(path).reduce((m, f) => Math.max(m, newest(join(path, f))), st.mtimeMs);
};

const fresh =
  !process.argv.includes('--force') &&
  existsSync(stampFile) &&
  statSync(stampFile).mtimeMs >= Math.max(...sources.map((s) => newest(join(root, s))));
if (!fresh) {
  rmSync(dist, { recursive: true, force: true });
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  execFileSync(process.execPath, [tsc, '-p', join(root, 'tsconfig.build.json')], { cwd: root, stdio: 'inherit' });
  for (const asset of assets) cpSync(join(root, asset), join(dist, asset), { recursive: true });
  writeFileSync(stampFile, `${new Date().toISOString()}\n`);
}
