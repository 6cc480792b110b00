import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { registerUser } from '../services/core/auth/users.ts';
import { loadConfig } from '../services/core/config.ts';
import { buildDeps } from '../services/core/deps.ts';
import { createDocument } from '../services/core/documents/create.ts';
import { getDocument } from '../services/core/documents/index.ts';
import { processDocument } from '../services/core/ingest/pipeline.ts';
import { createKb } from '../services/core/kbs/index.ts';
import { createLogger } from '../services/core/logger.ts';
import { generateCorpus } from './ingest-corpus.ts';

/**
 * `npm run bench:ingest`: ingests a generated corpus (small English/Chinese Markdown notes and
 * a ~1 MB handbook) with the local embedder into a temporary DATA_DIR and prints throughput.
 */
const NOTES = Number(process.env.BENCH_NOTES ?? 40);
const HANDBOOK_BYTES = Number(process.env.BENCH_HANDBOOK_BYTES ?? 1024 * 1024);

const dataDir = mkdtempSync(join(tmpdir(), 'cos-bench-ingest-'));
const config = loadConfig({ NODE_ENV: 'test', DATA_DIR: dataDir, LOG_LEVEL: 'silent' });
const deps = await buildDeps(config, { logger: createLogger({ level: 'silent' }) });
try {
  const user = await registerUser(deps.db, { email: 'bench@example.com', password: 'bench password 123' }, 'open');
  const kb = createKb(deps.db, { userId: user.id }, { title: 'Bench' });
  const corpus = generateCorpus(NOTES, HANDBOOK_BYTES);
  const totalBytes = corpus.reduce((n, d) => n + Buffer.byteLength(d.content), 0);
  let children = 0;
  let handbookMs = 0;
  let handbookChildren = 0;
  const started = performance.now();
  for (const doc of corpus) {
    const created = await createDocument(deps, { userId: user.id }, kb.id, {
      fileName: doc.name,
      bytes: Buffer.from(doc.content),
    });
    const t0 = performance.now();
    await processDocument(deps, created.id);
    const done = getDocument(deps.db, { userId: user.id }, created.id);
    if (done.status !== 'completed') throw new Error(`${doc.name} ended ${done.status}: ${done.error}`);
    children += done.childCount;
    if (doc.name === 'handbook.md') {
      handbookMs = performance.now() - t0;
      handbookChildren = done.childCount;
    }
  }
  const seconds = (performance.now() - started) / 1000;
  const rssMb = process.resourceUsage().maxRSS / 1024;
  const mb = (n: number) => (n / 1024 / 1024).toFixed(2);
  console.log(`ingest benchmark (local embedder ${deps.embedder.model}, vectors ${deps.vectors.kind})`);
  console.log(`  corpus:           ${corpus.length} documents, ${mb(totalBytes)} MB`);
  console.log(`  documents/s:      ${(corpus.length / seconds).toFixed(1)}`);
  console.log(`  child chunks/s:   ${(children / seconds).toFixed(0)} (${children} children)`);
  console.log(`  1 MB handbook:    ${(handbookMs / 1000).toFixed(2)} s (${handbookChildren} children)`);
  console.log(`  total:            ${seconds.toFixed(2)} s`);
  console.log(`  peak RSS:         ${rssMb.toFixed(0)} MB`);
} finally {
  await deps.close();
  rmSync(dataDir, { recursive: true, force: true });
}
