import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setDocumentMetadata } from '../../services/core/documents/metadata.ts';
import { createKb } from '../../services/core/kbs/index.ts';
import { search } from '../../services/core/search/index.ts';
import { type SearchRequest, searchModes } from '../../services/core/search/types.ts';
import { createTestDeps, type TestDeps } from '../helpers/deps.ts';
import { draftFromMarkdown, insertUser, writeDocument } from './load.ts';

type Filter = SearchRequest['filter'];

/** More strong matches than any layer's candidate pool (20 documents, 40 sections, 100 passages). */
const STRONG_DOCS = 25;

const strong = (i: number) =>
  draftFromMarkdown(
    `mites-${i}.md`,
    `# Varroa mites ${i}\n\n## Varroa mites treatment\n\n${Array.from(
      { length: 5 },
      (_, j) => `Varroa mites treatment ${j}: treat varroa mites with oxalic acid against mites.`,
    ).join('\n\n')}`,
  );

const WEAK = `# Apiary audit\n\n## Hive inspection\n\nThe 2025 audit counted frames, honey stores and brood.\n\nOne hive showed a few mites near the entrance.`;
const UNRELATED = `# Tea\n\n## Green tea\n\nBrew green tea at eighty degrees.`;

/**
 * Metadata filters narrow every ranking of every layer before scoring, in every mode, with and
 * without full text: a weakly matching document passes the filter even when more strongly
 * matching ones fill every candidate pool. `env` picks the vector store (Qdrant when it names one).
 */
export function metadataSearchSuite(name: string, env: () => Record<string, string>): void {
  describe(`metadata filters in search: ${name}`, () => {
    let deps: TestDeps;
    let userId: string;
    let kbId: string;
    let weakId: string;
    beforeAll(async () => {
      deps = await createTestDeps(env());
      userId = insertUser(deps);
      kbId = createKb(deps.db, { userId }, { title: 'apiary' }).id;
      for (let i = 0; i < STRONG_DOCS; i++) {
        const doc = await writeDocument(deps, userId, kbId, strong(i));
        setDocumentMetadata(deps.db, { userId }, doc.id, { year: 2023, tags: ['research'] });
      }
      const weak = await writeDocument(deps, userId, kbId, draftFromMarkdown('audit.md', WEAK));
      weakId = weak.id;
      setDocumentMetadata(deps.db, { userId }, weakId, { year: 2025, tags: ['audit'], published: '2025-02-14' });
      const tea = await writeDocument(deps, userId, kbId, draftFromMarkdown('tea.md', UNRELATED));
      setDocumentMetadata(deps.db, { userId }, tea.id, { year: 2025, tags: ['kitchen'] });
    }, 120_000);
    afterAll(() => deps.cleanup());

    const year2025: Filter = { metadata: { conditions: [{ name: 'year', comparison_operator: '=', value: 2025 }] } };

    for (const mode of searchModes) {
      for (const hybrid of [true, false]) {
        it(`${mode}${hybrid ? ' hybrid' : ''}: finds only the filtered documents, even the weak match`, async () => {
          const query = 'varroa mites treatment';
          const open = await search(deps, { userId }, { kbId, query, mode, hybrid, topK: 5 });
          expect(open.hits.length).toBeGreaterThan(0);
          expect(open.hits.every((h) => h.document.id !== weakId)).toBe(true);

          const filtered = await search(deps, { userId }, { kbId, query, mode, hybrid, topK: 5, filter: year2025 });
          expect(filtered.hits.length).toBeGreaterThan(0);
          expect(filtered.hits[0].document.id).toBe(weakId);
          expect(filtered.hits.every((h) => h.document.metadata.year === 2025)).toBe(true);
          expect(filtered.hits[0].children.map((c) => c.content).join(' ')).toContain('mites');
        });
      }
    }

    it('answers no hits when no document meets the filter, and keeps cached results apart', async () => {
      const none: Filter = { metadata: { conditions: [{ name: 'year', comparison_operator: '>', value: 3000 }] } };
      const query = 'varroa mites treatment';
      expect((await search(deps, { userId }, { kbId, query, filter: none })).hits).toEqual([]);
      expect((await search(deps, { userId }, { kbId, query })).hits.length).toBeGreaterThan(0);
    });

    it('follows a metadata change at once, cached results included', async () => {
      const audit: Filter = {
        metadata: { conditions: [{ name: 'tags', comparison_operator: 'contains', value: 'audit' }] },
      };
      const query = 'hive inspection mites';
      const before = await search(deps, { userId }, { kbId, query, mode: 'flat', filter: audit });
      expect(before.hits.map((h) => h.document.id)).toContain(weakId);
      setDocumentMetadata(deps.db, { userId }, weakId, { year: 2025, tags: ['archive'] });
      const after = await search(deps, { userId }, { kbId, query, mode: 'flat', filter: audit });
      expect(after.hits).toEqual([]);
      setDocumentMetadata(deps.db, { userId }, weakId, { year: 2025, tags: ['audit'], published: '2025-02-14' });
    });
  });
}
