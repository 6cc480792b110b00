import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { countEmbeddings, createTestDeps, type TestDeps } from '../../../tests/helpers/deps.ts';
import { draftFromMarkdown, insertUser, type LoadedDocument, writeDocument } from '../../../tests/search/load.ts';
import { invalidateKb } from '../db/kb-generation.ts';
import { AppError } from '../errors.ts';
import { createKb } from '../kbs/index.ts';
import { search } from './index.ts';

const BEES = `# Bees\n\n## Swarming\n\nA crowded hive swarms in spring when the old queen leaves.\n\nAdd a super to give the colony space.\n\n## Mites\n\nVarroa mites spread viruses among bees.\n\nTreat with oxalic acid in winter.`;
const TEA = `# 茶\n\n## 绿茶\n\n绿茶用八十度的水冲泡。\n\n玻璃杯适合冲泡绿茶。\n\n## 普洱\n\n普洱茶需要通风避光存放。`;

describe('search', () => {
  let deps: TestDeps;
  let userId: string;
  let kbId: string;
  let bees: LoadedDocument;
  beforeEach(async () => {
    deps = await createTestDeps();
    userId = insertUser(deps);
    kbId = createKb(deps.db, { userId }, { title: 'kb' }).id;
    bees = await writeDocument(deps, userId, kbId, draftFromMarkdown('bees.md', BEES));
    await writeDocument(deps, userId, kbId, draftFromMarkdown('tea.md', TEA));
  });
  afterEach(() => deps.cleanup());

  it('answers the contract shape with scores for every layer', async () => {
    const res = await search(deps, { userId }, { kbId, query: 'varroa mites treatment', topK: 2 });
    expect(res).toMatchObject({ mode: 'drill-down', query: 'varroa mites treatment' });
    expect(res.tookMs).toBeGreaterThanOrEqual(0);
    expect(res.hits).toHaveLength(1);
    const [hit] = res.hits;
    expect(Object.keys(hit).sort()).toEqual(['children', 'document', 'parent']);
    expect(Object.keys(hit.document).sort()).toEqual(['fileName', 'id', 'metadata', 'score', 'summary']);
    expect(hit.document).toMatchObject({ id: bees.id, fileName: 'bees.md' });
    expect(hit.document.summary).toContain('Bees');
    expect(hit.parent.id).toBe(bees.parents.get('Mites'));
    expect(hit.parent.content).toContain('Varroa');
    expect(hit.children).toHaveLength(2);
    expect(hit.children[0].content).toContain('Varroa mites');
    for (const s of [hit.document.score, hit.parent.score, ...hit.children.map((c) => c.score)]) {
      expect(s).toBeGreaterThan(0);
    }
    expect(hit.children[0].score).toBeGreaterThanOrEqual(hit.children[1].score);
  });

  it('finds Chinese passages and keeps within the drilled-down parent', async () => {
    const { hits } = await search(deps, { userId }, { kbId, query: '绿茶用多少度的水', topK: 5 });
    expect(hits[0].document.fileName).toBe('tea.md');
    expect(hits[0].children.map((c) => c.content)).toEqual(expect.arrayContaining(['绿茶用八十度的水冲泡。']));
    expect(hits[0].children.every((c) => !c.content.includes('普洱'))).toBe(true);
  });

  it('flat and relaxed modes group children under their parents, best first', async () => {
    for (const mode of ['flat', 'drill-down-relaxed'] as const) {
      const { hits } = await search(deps, { userId }, { kbId, query: 'swarms spring queen super bees', mode, topK: 3 });
      expect(hits[0].parent.id).toBe(bees.parents.get('Swarming'));
      expect(hits.flatMap((h) => h.children)).toHaveLength(3);
      expect(hits[0].document.score).toBeGreaterThan(0);
      expect(hits[0].parent.score).toBeGreaterThan(0);
    }
  });

  it('ranks by full text alone in hybrid with the built-in embedder, by its vectors without hybrid', async () => {
    const searched: string[] = [];
    const search0 = deps.vectors.search.bind(deps.vectors);
    deps.vectors.search = (vector, scope, k) => {
      searched.push(scope.layer);
      return search0(vector, scope, k);
    };
    const { embedder } = await deps.embeddingIndex.searched();
    const embedQuery = embedder.embedQuery?.bind(embedder);
    let embedded = 0;
    embedder.embedQuery = (text) => {
      embedded++;
      return embedQuery ? embedQuery(text) : Promise.reject(new Error('no embedQuery'));
    };
    const hybrid = await search(deps, { userId }, { kbId, query: 'varroa oxalic acid', mode: 'flat', topK: 2 });
    expect(searched).toEqual([]);
    expect(embedded).toBe(0);
    const first = hybrid.hits[0].children[0];
    expect(first.content).toContain('oxalic acid');
    expect(first.signals?.text).toBeGreaterThan(0);
    expect(first.signals?.vector).toBeUndefined();
    const vectors = await search(
      deps,
      { userId },
      { kbId, query: 'varroa oxalic acid', mode: 'flat', topK: 2, hybrid: false },
    );
    expect(searched).toContain('child');
    expect(embedded).toBe(1);
    const top = vectors.hits[0].children[0];
    expect(top.signals?.vector).toBeGreaterThan(0);
    expect(top.signals?.text).toBeUndefined();
    expect(top.score).toBeGreaterThan(0);
  });

  it('hybrid fuses full-text ranks and still answers the same shape', async () => {
    const { hits } = await search(deps, { userId }, { kbId, query: 'varroa oxalic acid', hybrid: true, topK: 1 });
    expect(hits[0].children[0].content).toContain('oxalic acid');
    expect(hits[0].children[0].score).toBeGreaterThan(0);
  });

  it("keeps the next document's answer beside a passage far ahead on BM25", async () => {
    // One passage that repeats the question's words puts its document far ahead; the answer is
    // in another document, at about half its score (flat has it second). A drill-down that kept
    // documents within 0.6 of the best read only the first document's section.
    const news = [
      'Translation news: missing translation strings were found for every language, the next translation sprint covers each language with a missing translation, and the next language team comes next month.',
      'The Portuguese team finished the release notes.',
      'The Spanish team reviewed the installer.',
      'The Italian team joined this year.',
      'Volunteers are welcome in every team.',
      'Statistics are published every week.',
    ];
    const answer =
      'The LANGUAGE variable lists languages in order of preference: with pt:es:it a missing translation falls back to the next language.';
    const kb = createKb(deps.db, { userId }, { title: 'locales' }).id;
    await writeDocument(
      deps,
      userId,
      kb,
      draftFromMarkdown('news.md', `# Release news\n\n## Translations\n\n${news.join('\n\n')}`),
    );
    await writeDocument(
      deps,
      userId,
      kb,
      draftFromMarkdown(
        'locale.md',
        `# Locale\n\n## Messages\n\n${answer}\n\n## Time\n\nLC_TIME sets how dates are shown.`,
      ),
    );
    const query = 'which translation language comes next when one is missing';
    for (const mode of ['flat', 'drill-down'] as const) {
      const { hits } = await search(deps, { userId }, { kbId: kb, query, mode, topK: 5 });
      expect(hits[0].children[0].content).toBe(news[0]);
      expect(hits.flatMap((h) => h.children.map((c) => c.content))).toContain(answer);
    }
  });

  it('drills down through sections and passages when a document has no summary', async () => {
    await deps.vectors.deleteByDocument(userId, bees.id);
    const other = insertUser(deps);
    const kb2 = createKb(deps.db, { userId: other }, { title: 'no summaries' }).id;
    const doc = await writeDocument(deps, other, kb2, draftFromMarkdown('bees.md', BEES));
    const summary = deps.db.sqlite
      .prepare("SELECT id FROM chunks WHERE document_id = ? AND layer = 'document'")
      .get(doc.id) as { id: string };
    deps.db.sqlite.prepare('DELETE FROM chunks WHERE id = ?').run(summary.id);
    await deps.vectors.deleteByDocument(other, doc.id);
    await writeDocumentVectorsWithoutSummary(deps, other, kb2, doc);
    for (const hybrid of [true, false]) {
      for (const mode of ['drill-down', 'drill-down-relaxed'] as const) {
        const { hits } = await search(deps, { userId: other }, { kbId: kb2, query: 'varroa mites', mode, hybrid });
        expect(hits[0].children[0].content).toContain('Varroa');
      }
    }
  });

  it.each([
    [{ query: '' }, /query/],
    [{ query: '   ' }, /query/],
    [{ query: 'x', mode: 'sideways' }, /mode/],
    [{ query: 'x', topK: 51 }, /topK/],
    [{ query: 'x', topK: 0 }, /topK/],
  ])('refuses %j with a 400', async (patch, message) => {
    const err = await search(deps, { userId }, { kbId, ...patch } as never).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect(err).toMatchObject({ code: 'validation_failed' });
    expect((err as AppError).message).toMatch(message);
  });

  it("answers 404 for another user's KB and for a missing one", async () => {
    const mallory = insertUser(deps);
    for (const [who, kb] of [
      [mallory, kbId],
      [userId, 'no-such-kb'],
    ]) {
      const err = await search(deps, { userId: who }, { kbId: kb, query: 'bees' }).catch((e: unknown) => e);
      expect(err).toMatchObject({ code: 'not_found' });
    }
  });

  it('serves a repeated query from the cache without embedding it again', async () => {
    // An embedder through ONEAPI: its query embeddings are cached (the built-in one's depend on the
    // index). It keeps the built-in model's name and so its fusion weights, which search no vectors
    // in hybrid: vectors alone make the search embed the query.
    const { embedQuery: _local, ...remote } = deps.embedder;
    deps.embedder = remote;
    const embeddings = countEmbeddings(deps);
    const first = await search(deps, { userId }, { kbId, query: 'queen swarming', hybrid: false });
    const second = await search(deps, { userId }, { kbId, query: 'queen swarming', hybrid: false });
    expect(second.hits).toEqual(first.hits);
    expect(embeddings.calls).toBe(1);
    const otherMode = await search(deps, { userId }, { kbId, query: 'queen swarming', mode: 'flat', hybrid: false });
    expect(otherMode.mode).toBe('flat');
    expect(embeddings.calls).toBe(1);
  });

  it('drops cached results when the KB content changes', async () => {
    const before = await search(deps, { userId }, { kbId, query: 'sourdough starter feeding', mode: 'flat' });
    expect(before.hits.some((h) => h.document.fileName === 'bread.md')).toBe(false);
    await writeDocument(
      deps,
      userId,
      kbId,
      draftFromMarkdown('bread.md', '# Bread\n\n## Starter\n\nFeed the sourdough starter daily.'),
    );
    const after = await search(deps, { userId }, { kbId, query: 'sourdough starter feeding', mode: 'flat' });
    expect(after.hits[0].document.fileName).toBe('bread.md');
    deps.db.sqlite
      .prepare("DELETE FROM chunks WHERE document_id IN (SELECT id FROM documents WHERE file_name = 'bread.md')")
      .run();
    invalidateKb(deps.db, kbId);
    const gone = await search(deps, { userId }, { kbId, query: 'sourdough starter feeding', mode: 'flat' });
    expect(gone.hits.some((h) => h.document.fileName === 'bread.md')).toBe(false);
  });
});

/** Re-adds a document's parent and child vectors only, leaving its document layer empty. */
async function writeDocumentVectorsWithoutSummary(deps: TestDeps, userId: string, kbId: string, doc: LoadedDocument) {
  const rows = deps.db.sqlite
    .prepare('SELECT id, parent_id, layer, content FROM chunks WHERE document_id = ?')
    .all(doc.id) as Array<{ id: string; parent_id: string | null; layer: 'parent' | 'child'; content: string }>;
  const vectors = await deps.embedder.embed(rows.map((r) => r.content));
  await deps.vectors.upsert(
    rows.map((r, i) => ({
      id: r.id,
      vector: vectors[i],
      userId,
      kbId,
      documentId: doc.id,
      parentId: r.parent_id,
      layer: r.layer,
    })),
  );
}
