import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDeps, type TestDeps } from '../../../tests/helpers/deps.ts';
import { draftFromMarkdown, insertUser, writeDocument } from '../../../tests/search/load.ts';
import { createKb } from '../kbs/index.ts';
import { EXACT_MARK, queryTerms, segmentForIndex } from '../text/tokenize.ts';
import { passageCounts } from './chunk-index.ts';
import { bestWindow, planWords, searchText, wordFinder } from './text-search.ts';

const exact = (word: string) => `${EXACT_MARK}${word}`;

/** Writes a document of one section holding these passages; returns it and each passage's text by id. */
async function writePassages(deps: TestDeps, userId: string, kbId: string, name: string, children: string[]) {
  const doc = await writeDocument(deps, userId, kbId, {
    fileName: `${name}.md`,
    summary: name,
    parents: [{ heading: name, content: children.join('\n'), children }],
  });
  const rows = deps.db.sqlite
    .prepare("SELECT id, content FROM chunks WHERE document_id = ? AND layer = 'child'")
    .all(doc.id) as Array<{ id: string; content: string }>;
  return { doc, text: new Map(rows.map((r) => [r.id, r.content])) };
}

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
      words: planWords(deps.db, queryTerms('varroa mites')),
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

  it("never returns another KB's rows, whatever ids it is narrowed to", async () => {
    const userId = insertUser(deps);
    const otherKb = createKb(deps.db, { userId }, { title: 'other' }).id;
    const other = await writeDocument(
      deps,
      userId,
      otherKb,
      draftFromMarkdown('o.md', '# O\n\n## Bees\n\nVarroa mites.'),
    );
    expect(query([other.id])).toEqual([]);
    const section = [...other.parents.values()];
    const inSection = (kb: string) =>
      searchText(deps.db, {
        kbId: kb,
        layer: 'child',
        words: planWords(deps.db, ['varroa']),
        parentIds: section,
        limit: 5,
        headingWeight: 0,
      });
    expect(inSection(kbId)).toEqual([]);
    expect(inSection(otherKb).map((h) => h.documentId)).toEqual([other.id]);
  });
});

describe('full-text search by stems and exact words', () => {
  let deps: TestDeps;
  let kbId: string;
  const text = new Map<string, string>();
  beforeAll(async () => {
    deps = await createTestDeps();
    const userId = insertUser(deps);
    kbId = createKb(deps.db, { userId }, { title: 'forms' }).id;
    const passages = ['the mounting of disks', 'how the disk is mounted', 'disks mounted at boot', 'unrelated passage'];
    const written = await writePassages(deps, userId, kbId, 'forms', passages);
    for (const [id, content] of written.text) text.set(id, content);
  });
  afterAll(() => deps.cleanup());

  it('finds every form of a word and ranks the passage with the words as asked first', () => {
    const hits = searchText(deps.db, {
      kbId,
      layer: 'child',
      words: planWords(deps.db, queryTerms('disks mounted')),
      limit: 10,
      headingWeight: 0,
    });
    expect(hits.map((h) => text.get(h.id))).toEqual(['disks mounted at boot', expect.any(String), expect.any(String)]);
    expect(hits.map((h) => text.get(h.id)).sort()).toEqual([
      'disks mounted at boot',
      'how the disk is mounted',
      'the mounting of disks',
    ]);
  });

  it('keeps the exact words in passages only: sections and summaries route by stems', () => {
    const rows = (table: string) =>
      (deps.db.sqlite.prepare(`SELECT content FROM ${table} WHERE kb_id = ?`).all(kbId) as Array<{ content: string }>)
        .map((r) => r.content)
        .join(' ');
    expect(rows('fts_child')).toContain(exact('mounted'));
    // The section holds the passages' text, the summary is the document's name ("forms").
    expect(rows('fts_parent')).toContain('mount');
    expect(rows('fts_document')).toContain('form');
    for (const table of ['fts_parent', 'fts_document']) expect(rows(table)).not.toContain(EXACT_MARK);
  });
});

describe('full-text search with common words', () => {
  let deps: TestDeps;
  let kbId: string;
  let parentId: string;
  /** Passage text by chunk id. */
  const text = new Map<string, string>();
  beforeAll(async () => {
    deps = await createTestDeps();
    const userId = insertUser(deps);
    kbId = createKb(deps.db, { userId }, { title: 'common words' }).id;
    const children = [
      'harbour crane harbour crane',
      'harbour crane lighthouse',
      'lighthouse keeper',
      ...Array.from({ length: 12 }, (_, i) => `harbour${' harbour'.repeat(i % 3)} tide table ${i}`),
    ];
    const written = await writePassages(deps, userId, kbId, 'port', children);
    parentId = [...written.doc.parents.values()][0];
    for (const [id, content] of written.text) text.set(id, content);
  });
  afterAll(() => deps.cleanup());

  // "harbour" is in 14 of the 15 passages, "crane" in 2, "lighthouse" in 2.
  const common = { share: 0, minRows: 5 };
  const query = (q: string, commonWords = common, parentIds?: string[]) =>
    searchText(deps.db, {
      kbId,
      layer: 'child',
      words: planWords(deps.db, queryTerms(q), commonWords),
      limit: 20,
      headingWeight: 0,
      parentIds,
    });
  const texts = (hits: Array<{ id: string }>) => hits.map((h) => text.get(h.id));

  it('lets the rarer words choose the rows and still counts the common word in their scores', () => {
    const plain = query('harbour crane', { share: 1, minRows: 1000 });
    expect(plain).toHaveLength(14);
    const hits = query('harbour crane');
    expect(texts(hits)).toEqual(['harbour crane harbour crane', 'harbour crane lighthouse']);
    // Same order and the same BM25 as the plain search, where both found the row.
    expect(hits).toEqual(plain.slice(0, 2));
    expect(hits[0].score).toBeGreaterThan(query('crane')[0].score);
  });

  it('scores rows with and without the common word as one search over every word would', () => {
    // "lighthouse keeper" lacks the common word; the other two hold it.
    const words = 'harbour lighthouse crane';
    const plain = query(words, { share: 1, minRows: 1000 });
    const chosen = plain.filter((h) => /crane|lighthouse/.test(text.get(h.id) ?? ''));
    const hits = query(words);
    expect(texts(hits).sort()).toEqual([
      'harbour crane harbour crane',
      'harbour crane lighthouse',
      'lighthouse keeper',
    ]);
    expect(hits.map((h) => h.id)).toEqual(chosen.map((h) => h.id));
    for (const [i, h] of hits.entries()) expect(h.score).toBeCloseTo(chosen[i].score, 9);
  });

  it('plans the words once per query by their passage counts', () => {
    const plan = planWords(deps.db, queryTerms('harbour crane lighthouse'), common);
    expect(plan).toMatchObject({
      terms: ['harbour', exact('harbour'), 'crane', exact('crane'), 'lighthous', exact('lighthouse')],
      choosing: ['crane', exact('crane'), 'lighthous', exact('lighthouse')],
      others: ['harbour', exact('harbour')],
    });
    // Rarer words weigh more, as in BM25.
    expect(plan.rarity.get('harbour')).toBeLessThan(plan.rarity.get('crane') ?? 0);
    expect(planWords(deps.db, queryTerms('crane lighthouse'), common).others).toEqual([]);
    // The passage count a search has already read gives the same plan, and is the one used.
    const terms = queryTerms('harbour crane lighthouse');
    expect(planWords(deps.db, terms, common, passageCounts(deps.db, kbId))).toEqual(plan);
    expect(planWords(deps.db, terms, common, { kb: 1500, all: 1500 }).rarity.get('crane')).toBeGreaterThan(
      plan.rarity.get('crane') ?? 0,
    );
  });

  it('chooses by the rarest word when all are common, and by every word inside a section', () => {
    expect(texts(query('harbour tide', { share: 0, minRows: 1 }))).toHaveLength(12);
    expect(query('harbour lighthouse crane')).toHaveLength(3);
    expect(query('harbour crane', common, [parentId])).toHaveLength(14);
  });

  it('stops the most frequent words choosing once together they hold more of the KB than the row budget', () => {
    const none = { share: 1, minRows: 1000 };
    const budget = { ...none, rowBudget: 5 };
    // "tide" 12 + "crane" 2 + "lighthouse" 2 rows: over 5, so "tide" only adds to the rows of the other two.
    // The exact words go with their stems and count nothing against the budget.
    expect(planWords(deps.db, queryTerms('tide crane lighthouse'), budget)).toMatchObject({
      choosing: ['crane', exact('crane'), 'lighthous', exact('lighthouse')],
      others: ['tide', exact('tide')],
    });
    expect(query('tide crane lighthouse', none)).toHaveLength(15);
    const bounded = query('tide crane lighthouse', budget);
    expect(texts(bounded).sort()).toEqual([
      'harbour crane harbour crane',
      'harbour crane lighthouse',
      'lighthouse keeper',
    ]);
    // A KB holding a tenth of the passages is expected to hold a tenth of the words' rows: 1.6.
    expect(planWords(deps.db, queryTerms('tide crane lighthouse'), budget, { kb: 15, all: 150 }).others).toEqual([]);
    // The rarest word always chooses, over the budget or not.
    expect(planWords(deps.db, queryTerms('harbour tide'), { ...none, rowBudget: 1 })).toMatchObject({
      choosing: ['tide', exact('tide')],
      others: ['harbour', exact('harbour')],
    });
  });
});

describe('full-text search with word proximity', () => {
  let deps: TestDeps;
  let kbId: string;
  const text = new Map<string, string>();
  beforeAll(async () => {
    deps = await createTestDeps();
    const userId = insertUser(deps);
    kbId = createKb(deps.db, { userId }, { title: 'proximity' }).id;
    // The same words, as often, in passages of the same length: BM25 cannot tell them apart.
    const children = [
      'kernel modules load at boot and tuning parameters live elsewhere entirely today',
      'kernel parameters load at boot and tuning modules live elsewhere entirely today',
    ];
    for (const [id, content] of (await writePassages(deps, userId, kbId, 'kernel', children)).text)
      text.set(id, content);
  });
  afterAll(() => deps.cleanup());

  const query = (q: string, proximity?: { window: number; weight: number }) =>
    searchText(deps.db, {
      kbId,
      layer: 'child',
      words: planWords(deps.db, queryTerms(q)),
      limit: 5,
      headingWeight: 0,
      proximity,
    });

  it('puts the passage holding the query words together first, on top of the same BM25', () => {
    const plain = query('kernel parameters');
    expect(plain).toHaveLength(2);
    expect(plain[0].score).toBeCloseTo(plain[1].score, 6);
    const near = query('kernel parameters', { window: 5, weight: 0.3 });
    expect(text.get(near[0].id)).toContain('kernel parameters');
    // The best window holds both words and earns the whole bonus; the other passage's two words
    // are 7 apart, so its best 5-word window holds one of them: its rarity's share of the pair's.
    const best = Math.max(...plain.map((h) => h.score));
    expect(near[0].score).toBeCloseTo(best * 1.3, 6);
    const { terms, rarity } = planWords(deps.db, queryTerms('kernel parameters'));
    const rarities = terms.map((t) => rarity.get(t) ?? 0);
    const share = Math.max(...rarities) / (rarities.reduce((a, b) => a + b, 0) || 1);
    expect(share).toBeGreaterThan(0);
    const other = plain.find((h) => h.id === near[1].id)?.score ?? 0;
    expect(near[1].score).toBeCloseTo(other + best * 0.3 * share, 6);
    expect(query('kernel parameters', { window: 5, weight: 0 })).toEqual(plain);
  });

  it('scores a text by its best window: rarity, saturated by the count inside the window', () => {
    const words = {
      terms: ['a', 'b'],
      rarity: new Map([
        ['a', 2],
        ['b', 1],
      ]),
    };
    const find = wordFinder(words.terms);
    // Once in the window, a word adds its rarity: tf (k1 + 1) / (tf + k1) is 1 at tf 1.
    expect(bestWindow(words, find('a b'), 5)).toBeCloseTo(3, 6);
    expect(bestWindow(words, find('a x x x x b'), 5)).toBeCloseTo(2, 6);
    expect(bestWindow(words, find('b x x x x a b'), 5)).toBeCloseTo(3, 6);
    // Two of the same word inside the window: BM25's saturation, 2 * 2.2 / 3.2 of its rarity.
    expect(bestWindow(words, find('a x a'), 5)).toBeCloseTo((2 * 2 * 2.2) / 3.2, 6);
    expect(bestWindow(words, find('x y'), 5)).toBe(0);
  });

  it('finds the query words in an analysed body as whole words, with their places', () => {
    const find = wordFinder(['c++', 'ab', 'abc', '配置']);
    expect(find('abc xab ab c++ 配置文件 配置 abcd ab')).toEqual([
      { term: 'abc', at: 0 },
      { term: 'ab', at: 2 },
      { term: 'c++', at: 3 },
      { term: '配置', at: 5 },
      { term: 'ab', at: 7 },
    ]);
    // Places count every space, as splitting on single spaces does.
    expect(find('ab  ab')).toEqual([
      { term: 'ab', at: 0 },
      { term: 'ab', at: 2 },
    ]);
    expect(find('')).toEqual([]);
    expect(wordFinder([])('ab')).toEqual([]);
  });

  it('gives an exact word the place of its stem, so a window holds as many words in English as in Chinese', () => {
    const body = segmentForIndex('kernel boot parameters 内核 参数');
    const find = wordFinder(queryTerms('kernel parameters 参数'));
    expect(find(body)).toEqual([
      { term: 'kernel', at: 0 },
      { term: exact('kernel'), at: 0 },
      { term: 'paramet', at: 2 },
      { term: exact('parameters'), at: 2 },
      { term: '参数', at: 4 },
    ]);
  });
});

describe('full-text search of a KB that holds most passages', () => {
  let deps: TestDeps;
  let big: string;
  let small: string;
  beforeAll(async () => {
    deps = await createTestDeps();
    const userId = insertUser(deps);
    big = createKb(deps.db, { userId }, { title: 'big' }).id;
    small = createKb(deps.db, { userId }, { title: 'small' }).id;
    await writePassages(
      deps,
      userId,
      big,
      'big',
      Array.from({ length: 12 }, (_, i) => `orchard apple ${'pear '.repeat(i)}`),
    );
    // The small KB's passages outrank every passage of the big one.
    await writePassages(deps, userId, small, 'small', ['orchard apple apple orchard', 'apple orchard apple']);
  });
  afterAll(() => deps.cleanup());

  const query = (kbId: string, limit: number, share?: number) =>
    searchText(deps.db, {
      kbId,
      layer: 'child',
      words: planWords(deps.db, queryTerms('orchard apple')),
      limit,
      headingWeight: 0,
      kbShare: share,
    });

  it('ranks without the KB token and gives what the token search gives', () => {
    const counts = passageCounts(deps.db, big);
    expect(counts).toEqual({ kb: 12, all: 14 });
    for (const limit of [1, 3, 12, 20]) {
      const plain = query(big, limit);
      expect(plain).toHaveLength(Math.min(limit, 12));
      expect(query(big, limit, counts.kb / counts.all)).toEqual(plain);
    }
  });

  it("never returns another KB's passages, even for a share it does not have", () => {
    const plain = query(small, 2);
    expect(plain).toHaveLength(2);
    // Told it holds nearly everything, the small KB's search still finds only its own rows.
    expect(query(small, 2, 0.99)).toEqual(plain);
    const bigOnly = query(big, 3, 0.99);
    expect(bigOnly.every((h) => !plain.some((p) => p.id === h.id))).toBe(true);
    expect(bigOnly).toEqual(query(big, 3));
  });
});
