import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDeps, type TestDeps } from '../../../tests/helpers/deps.ts';
import { draftFromMarkdown, insertUser, writeDocument } from '../../../tests/search/load.ts';
import { createKb } from '../kbs/index.ts';
import { ftsQuery } from '../text/tokenize.ts';
import { searchText } from './text-search.ts';

describe('full-text search narrowed to documents', () => {
  let deps: TestDeps;
  let kbId: string;
  const ids: string[] = [];
  beforeAll(async () => {
    deps = await createTestDeps();
    const userId = insertUser(deps);
    kbId = createKb(deps.db, { userId }, { title: 'fts' }).id;
    for (let i = 0; i < 4; i++) {
      const text = `# Doc ${i}\n\n## Beekeeping\n\n${'Varroa mites. '.repeat(4 - i)}Spring inspection.`;
      ids.push((await writeDocument(deps, userId, kbId, draftFromMarkdown(`d${i}.md`, text))).id);
    }
  });
  afterAll(() => deps.cleanup());

  const query = (documentIds?: string[]) =>
    searchText(deps.db, {
      kbId,
      layer: 'child',
      match: ftsQuery('varroa mites') ?? '',
      documentIds,
      limit: 2,
      headingWeight: 0.3,
    });

  it('ranks only inside the given documents, before the limit cuts, for short and long lists', () => {
    const open = query();
    expect(open.map((h) => h.documentId)).toEqual([ids[0], ids[1]]);
    const lastTwo = [ids[2], ids[3]];
    const absent = Array.from({ length: 5000 }, (_, i) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`);
    for (const list of [lastTwo, [...absent, ...lastTwo]]) {
      const hits = query(list);
      expect(hits.map((h) => h.documentId)).toEqual(lastTwo);
    }
    expect(query(absent)).toEqual([]);
    expect(query([])).toEqual([]);
  });
});
