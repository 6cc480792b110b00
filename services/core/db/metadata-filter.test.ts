import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDeps, type TestDeps } from '../../../tests/helpers/deps.ts';
import { draftFromMarkdown, insertUser, writeDocument } from '../../../tests/search/load.ts';
import { setDocumentMetadata } from '../documents/metadata.ts';
import { createKb } from '../kbs/index.ts';
import { type MetadataFilterInput, metadataFilterSchema, normalizeFilter } from '../search/filter.ts';
import { documentsMatching } from './metadata-filter.ts';

const DOCS = {
  policy: {
    year: 2025,
    category: 'HR Policy',
    tags: ['hr', 'Remote'],
    published: '2025-03-01',
    author: 'Li Wei',
    部门: '人事部',
  },
  draft: { year: 2023, category: 'policy draft', tags: ['finance'], published: '2023-11-20T10:00:00Z' },
  bare: {},
  odd: { year: 2024.5, category: '', tags: [], published: 1718000000 },
} as const;
type Name = keyof typeof DOCS;

describe('metadata filter', () => {
  let deps: TestDeps;
  let kbId: string;
  const ids = new Map<string, Name>();
  beforeAll(async () => {
    deps = await createTestDeps();
    const userId = insertUser(deps);
    kbId = createKb(deps.db, { userId }, { title: 'filters' }).id;
    const otherKb = createKb(deps.db, { userId }, { title: 'elsewhere' }).id;
    for (const [name, metadata] of Object.entries(DOCS) as Array<[Name, (typeof DOCS)[Name]]>) {
      const doc = await writeDocument(
        deps,
        userId,
        kbId,
        draftFromMarkdown(`${name}.md`, `# ${name}\n\n## A\n\nText.`),
      );
      setDocumentMetadata(deps.db, { userId }, doc.id, structuredClone(metadata) as never);
      ids.set(doc.id, name);
    }
    // The same metadata in another KB never leaks into this KB's matches.
    const stranger = await writeDocument(deps, userId, otherKb, draftFromMarkdown('x.md', '# x\n\n## A\n\nText.'));
    setDocumentMetadata(deps.db, { userId }, stranger.id, { year: 2025 });
  });
  afterAll(() => deps.cleanup());

  const run = (filter: MetadataFilterInput) =>
    documentsMatching(deps.db, kbId, normalizeFilter(metadataFilterSchema.parse(filter)))
      .map((id) => ids.get(id))
      .sort();
  const one = (name: string | string[], comparison_operator: string, value?: unknown) =>
    run({ conditions: [{ name, comparison_operator, value } as never] });

  it.each([
    ['category', 'contains', 'policy', ['draft', 'policy']],
    ['category', 'not contains', 'draft', ['policy']],
    ['tags', 'contains', 'remote', ['policy']],
    ['tags', 'not contains', 'hr', ['draft']],
    ['category', 'start with', 'hr', ['policy']],
    ['category', 'end with', 'DRAFT', ['draft']],
    ['category', 'is', 'HR Policy', ['policy']],
    ['category', 'is not', 'HR Policy', ['draft']],
    ['year', 'is', 2023, ['draft']],
    ['year', 'is', '2023', ['draft']],
    ['year', 'is not', '2023', ['odd', 'policy']],
    ['category', 'in', ['policy draft', 'HR Policy'], ['draft', 'policy']],
    ['tags', 'in', 'finance,hr', ['draft', 'policy']],
    ['category', 'not in', ['policy draft'], ['policy']],
    ['category', 'empty', undefined, ['bare', 'odd']],
    ['tags', 'empty', undefined, ['bare', 'odd']],
    ['category', 'not empty', undefined, ['draft', 'policy']],
    ['author', 'null', undefined, ['bare', 'draft', 'odd']],
    ['author', 'not null', undefined, ['policy']],
    ['year', '=', 2025, ['policy']],
    ['year', '≠', 2025, ['draft', 'odd']],
    ['year', '!=', '2025', ['draft', 'odd']],
    ['year', '>', 2024, ['odd', 'policy']],
    ['year', '<', 2024.5, ['draft']],
    ['year', '≥', 2024.5, ['odd', 'policy']],
    ['year', '>=', 2024.5, ['odd', 'policy']],
    ['year', '≤', 2024.5, ['draft', 'odd']],
    ['published', 'before', '2024-01-01', ['draft']],
    ['published', 'after', '2024-01-01', ['odd', 'policy']],
    ['published', 'after', 1735689600, ['policy']],
    ['published', 'before', 1735689600000, ['draft', 'odd']],
    ['published', 'after', '2023-11-20T09:00:00Z', ['draft', 'odd', 'policy']],
    ['部门', 'is', '人事部', ['policy']],
    [['author', 'category'], 'contains', 'draft', ['draft']],
    [['author', 'category'], 'contains', 'wei', ['policy']],
  ])('%j %s %j', (name, op, value, expected) => {
    expect(one(name, op, value)).toEqual(expected);
  });

  it('joins conditions with and (the default) or with or', () => {
    const year = { name: 'year', comparison_operator: '≥', value: 2024 } as const;
    const hr = { name: 'tags', comparison_operator: 'contains', value: 'hr' } as const;
    const finance = { name: 'tags', comparison_operator: 'contains', value: 'finance' } as const;
    expect(run({ conditions: [year, hr] })).toEqual(['policy']);
    expect(run({ logical_operator: 'and', conditions: [year, finance] })).toEqual([]);
    expect(run({ logical_operator: 'or', conditions: [year, finance] })).toEqual(['draft', 'odd', 'policy']);
  });

  it('treats a name no document has as empty, and matches nothing else on it', () => {
    expect(one('nowhere', 'empty')).toEqual(['bare', 'draft', 'odd', 'policy']);
    expect(one('nowhere', 'not contains', 'x')).toEqual([]);
    expect(one('nowhere', '<', 1)).toEqual([]);
  });

  it('takes text that looks like SQL as plain text', () => {
    expect(one('category', 'contains', "' OR 1=1 --")).toEqual([]);
    expect(one("category' OR 1=1 --", 'empty')).toEqual(['bare', 'draft', 'odd', 'policy']);
  });

  it.each([
    [{ conditions: [] }, /conditions/],
    [{ conditions: [{ name: 'year', comparison_operator: '>' }] }, /needs a value/],
    [{ conditions: [{ name: 'year', comparison_operator: '>', value: 'soon' }] }, /compares numbers/],
    [{ conditions: [{ name: 'published', comparison_operator: 'before', value: 'someday' }] }, /needs a date/],
    [{ conditions: [{ name: 'tags', comparison_operator: 'contains', value: ['a'] }] }, /not a list/],
    [{ conditions: [{ name: 'tags', comparison_operator: 'like', value: 'a' }] }, /comparison_operator/],
    [{ logical_operator: 'xor', conditions: [{ name: 'a', comparison_operator: 'empty' }] }, /logical_operator/],
  ])('refuses %j', (filter, message) => {
    const parsed = metadataFilterSchema.safeParse(filter);
    expect(parsed.success).toBe(false);
    const text = parsed.error?.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    expect(text).toMatch(message);
  });
});
