import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKb } from '../../services/core/kbs/index.ts';
import { search } from '../../services/core/search/index.ts';
import type { SearchMode } from '../../services/core/search/types.ts';
import { createTestDeps, type TestDeps } from '../helpers/deps.ts';
import {
  draftsFromDir,
  insertUser,
  type LoadedDocument,
  RECALL_FIXTURES,
  readRecallQuestions,
  writeDocument,
} from './load.ts';

const questions = readRecallQuestions();

describe('retrieval quality on a mixed English/Chinese corpus', () => {
  let deps: TestDeps;
  let userId: string;
  let kbId: string;
  const docs = new Map<string, LoadedDocument>();

  beforeAll(async () => {
    deps = await createTestDeps();
    userId = insertUser(deps);
    kbId = createKb(deps.db, { userId }, { title: 'Recall corpus' }).id;
    for (const draft of draftsFromDir(RECALL_FIXTURES))
      docs.set(draft.fileName, await writeDocument(deps, userId, kbId, draft));
  });
  afterAll(async () => deps.cleanup());

  async function rates(mode: SearchMode, hybrid: boolean) {
    let rightDocument = 0;
    let rightSection = 0;
    const misses: string[] = [];
    for (const { q, doc, section } of questions) {
      const { hits } = await search(deps, { userId }, { kbId, query: q, mode, hybrid, topK: 3 });
      const top = hits[0];
      if (top?.document.fileName === doc) rightDocument++;
      else misses.push(`${q} -> ${top?.document.fileName ?? 'nothing'}`);
      if (top?.parent.id === docs.get(doc)?.parents.get(section)) rightSection++;
    }
    return { document: rightDocument / questions.length, section: rightSection / questions.length, misses };
  }

  it('has a dozen documents, half of them Chinese, and two dozen questions', () => {
    expect(docs.size).toBeGreaterThanOrEqual(12);
    const chinese = [...docs.keys()].filter((f) => questions.some((q) => q.doc === f && /[\u4e00-\u9fff]/.test(q.q)));
    expect(chinese.length).toBeGreaterThanOrEqual(docs.size / 2);
    expect(questions.length).toBeGreaterThanOrEqual(24);
  });

  it('drill-down puts the right document first for at least 90% of questions, and hybrid does as well', async () => {
    const vector = await rates('drill-down', false);
    const hybrid = await rates('drill-down', true);
    console.info('drill-down recall', { vector, hybrid });
    expect(vector.document).toBeGreaterThanOrEqual(0.9);
    expect(hybrid.document).toBeGreaterThanOrEqual(vector.document);
    expect(hybrid.section).toBeGreaterThanOrEqual(0.75);
  });

  it('relaxed drill-down and flat find the right document first for most questions', async () => {
    for (const mode of ['drill-down-relaxed', 'flat'] as const) {
      for (const hybrid of [false, true]) {
        const r = await rates(mode, hybrid);
        expect(r.document, `${mode} hybrid=${hybrid}: ${r.misses.join('; ')}`).toBeGreaterThanOrEqual(0.85);
      }
    }
  });
});
