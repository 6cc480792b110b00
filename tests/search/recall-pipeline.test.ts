import { readdirSync, readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDocument } from '../../services/core/documents/create.ts';
import { processDocument } from '../../services/core/ingest/pipeline.ts';
import { createKb } from '../../services/core/kbs/index.ts';
import { search } from '../../services/core/search/index.ts';
import { createTestDeps, type TestDeps } from '../helpers/deps.ts';
import { insertUser, RECALL_FIXTURES, readRecallQuestions } from './load.ts';

const questions = readRecallQuestions();

describe('retrieval quality through the real ingest pipeline', () => {
  let deps: TestDeps;
  let userId: string;
  let kbId: string;

  beforeAll(async () => {
    deps = await createTestDeps();
    userId = insertUser(deps);
    kbId = createKb(deps.db, { userId }, { title: 'Recall corpus' }).id;
    for (const fileName of readdirSync(RECALL_FIXTURES).filter((f) => f.endsWith('.md'))) {
      const bytes = readFileSync(new URL(fileName, RECALL_FIXTURES));
      const doc = await createDocument(deps, { userId }, kbId, { fileName, bytes });
      await processDocument(deps, doc.id);
    }
  });
  afterAll(async () => deps.cleanup());

  async function rate(hybrid: boolean) {
    let right = 0;
    const misses: string[] = [];
    for (const { q, doc, section } of questions) {
      const { hits } = await search(deps, { userId }, { kbId, query: q, mode: 'drill-down', hybrid, topK: 3 });
      const top = hits[0];
      if (top?.document.fileName === doc && top.parent.content.includes(section)) right++;
      else misses.push(`${q} -> ${top?.document.fileName ?? 'nothing'}`);
    }
    return { rate: right / questions.length, misses };
  }

  it('ingested every fixture as completed documents with summaries', () => {
    const rows = deps.db.sqlite.prepare('SELECT status, summary FROM documents WHERE kb_id = ?').all(kbId) as Array<{
      status: string;
      summary: string | null;
    }>;
    expect(rows.length).toBeGreaterThanOrEqual(12);
    expect(rows.every((r) => r.status === 'completed' && (r.summary ?? '').length > 0)).toBe(true);
  });

  it('drill-down finds the right document and section for at least 90% of questions; hybrid as well', async () => {
    const vector = await rate(false);
    const hybrid = await rate(true);
    console.info('pipeline drill-down recall', { vector, hybrid });
    expect(vector.rate).toBeGreaterThanOrEqual(0.9);
    expect(hybrid.rate).toBeGreaterThanOrEqual(vector.rate);
  });
});
