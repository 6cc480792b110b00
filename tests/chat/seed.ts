import { randomUUID } from 'node:crypto';
import type { ChunkRow } from '../../services/core/db/chunk-index.ts';
import type { Deps } from '../../services/core/deps.ts';
import { writeChunkedDocument } from '../search/load.ts';

export interface SeedDocument {
  fileName: string;
  summary: string;
  sections: Array<{ heading: string; passages: string[] }>;
}

/**
 * Writes an already-indexed document (rows, full text and vectors of all three layers) so chat
 * tests meet retrieval without waiting for a parse; the upload path is covered end to end elsewhere.
 */
export async function seedDocument(deps: Deps, userId: string, kbId: string, doc: SeedDocument): Promise<string> {
  const blank = { parentId: null, position: 0, heading: null, page: null, tokenCount: 0 };
  const rows: ChunkRow[] = [
    { ...blank, id: randomUUID(), layer: 'document', heading: doc.fileName, content: doc.summary },
  ];
  doc.sections.forEach((section, i) => {
    const parentId = randomUUID();
    const content = `${section.heading}\n${section.passages.join('\n')}`;
    rows.push({ ...blank, id: parentId, layer: 'parent', position: i, heading: section.heading, content });
    section.passages.forEach((passage, j) => {
      rows.push({
        ...blank,
        id: randomUUID(),
        parentId,
        layer: 'child',
        position: j,
        heading: section.heading,
        content: passage,
      });
    });
  });
  return writeChunkedDocument(deps, { userId, kbId }, { fileName: doc.fileName, summary: doc.summary, rows });
}

export const CATS: SeedDocument = {
  fileName: 'cats.md',
  summary: 'A guide to domestic cats: behaviour, purring, sleep and feeding.',
  sections: [
    {
      heading: 'Purring',
      passages: [
        'Cats purr when they are content, and also to soothe themselves when stressed.',
        'The purr comes from rapid twitching of the laryngeal muscles.',
      ],
    },
    { heading: 'Sleep', passages: ['Adult cats sleep between twelve and sixteen hours a day.'] },
  ],
};

export const VOLCANOES: SeedDocument = {
  fileName: '火山.md',
  summary: '关于火山的资料：火山喷发的原因、岩浆和火山灰。',
  sections: [
    {
      heading: '喷发',
      passages: ['火山喷发是因为地下岩浆的压力超过了地壳的承受能力。', '火山灰可以随风飘到数千公里之外。'],
    },
  ],
};
