import { createHash, randomUUID } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import type { ChunkRow } from '../../services/core/db/chunk-index.ts';
import type { Deps } from '../../services/core/deps.ts';
import { insertDocumentRow } from '../../services/core/documents/create.ts';
import { embedChunks, replaceDocumentIndex } from '../../services/core/ingest/write-index.ts';

export interface DraftDocument {
  fileName: string;
  summary: string;
  parents: Array<{ heading: string; content: string; children: string[] }>;
}

/** The mixed English/Chinese recall corpus: Markdown documents and `questions.json`. */
export const RECALL_FIXTURES = new URL('../fixtures/recall/', import.meta.url);

/** One recall question with the document and section that answer it. */
export interface RecallQuestion {
  q: string;
  doc: string;
  section: string;
}

export const readRecallQuestions = (): RecallQuestion[] =>
  JSON.parse(readFileSync(new URL('questions.json', RECALL_FIXTURES), 'utf8'));

const blank = { parentId: null, position: 0, heading: null, page: null, tokenCount: 0 } as const;

export interface LoadedDocument {
  id: string;
  fileName: string;
  /** Parent chunk id by section heading. */
  parents: Map<string, string>;
}

/** A user row without password hashing (fast enough for benchmarks). */
export function insertUser(deps: Pick<Deps, 'db'>, email = `${randomUUID()}@example.test`): string {
  const id = randomUUID();
  deps.db.sqlite.prepare('INSERT INTO users (id, email, password_hash) VALUES (?, ?, ?)').run(id, email, 'x');
  return id;
}

/** A document whose chunks are made already: what ingestion has in hand before it embeds. */
export interface ChunkedDocument {
  fileName: string;
  summary: string;
  rows: ChunkRow[];
}

/**
 * Writes a completed document the way ingestion ends: a `documents` row, then the rows embedded
 * and written through ingestion's own index writer (vectors, chunks, full text, completion).
 */
export async function writeChunkedDocument(
  deps: Pick<Deps, 'db' | 'embedder' | 'embeddingIndex'>,
  owner: { userId: string; kbId: string },
  doc: ChunkedDocument,
): Promise<string> {
  const documentId = randomUUID();
  insertDocumentRow(deps.db, {
    id: documentId,
    ...owner,
    fileName: doc.fileName,
    mimeType: 'text/markdown',
    size: doc.rows.reduce((n, r) => n + Buffer.byteLength(r.content), 0),
    sha256: createHash('sha256').update(documentId).digest('hex'),
    storageKey: `seed/${documentId}`,
  });
  const title = doc.fileName.replace(/\.[^.]+$/, '');
  const chunks = await embedChunks(deps.embedder, doc.rows);
  await replaceDocumentIndex(deps, { ...owner, documentId, title, summary: doc.summary, chunks });
  return documentId;
}

/** Writes a draft as a completed document of the three layers (summary, parents, children). */
export async function writeDocument(
  deps: Pick<Deps, 'db' | 'embedder' | 'embeddingIndex'>,
  userId: string,
  kbId: string,
  draft: DraftDocument,
): Promise<LoadedDocument> {
  const rows: ChunkRow[] = [
    { ...blank, id: randomUUID(), layer: 'document', heading: draft.fileName, content: draft.summary },
  ];
  const parents = new Map<string, string>();
  draft.parents.forEach((p, i) => {
    const parentId = randomUUID();
    parents.set(p.heading, parentId);
    rows.push({ ...blank, id: parentId, layer: 'parent', position: i, heading: p.heading, content: p.content });
    p.children.forEach((content, j) => {
      rows.push({ ...blank, id: randomUUID(), parentId, layer: 'child', position: j, heading: p.heading, content });
    });
  });
  const id = await writeChunkedDocument(
    deps,
    { userId, kbId },
    { fileName: draft.fileName, summary: draft.summary, rows },
  );
  return { id, fileName: draft.fileName, parents };
}

/** Title, sections and paragraphs of a small Markdown file; the summary lists the sections with their first sentences. */
export function draftFromMarkdown(fileName: string, text: string): DraftDocument {
  const title = /^# (.+)$/m.exec(text)?.[1]?.trim() ?? fileName;
  const parents = text
    .split(/^## /m)
    .slice(1)
    .map((section) => {
      const [heading, ...rest] = section.split('\n');
      const children = rest
        .join('\n')
        .split(/\n\s*\n/)
        .map((p) => p.trim())
        .filter(Boolean);
      return { heading: heading.trim(), content: `${heading.trim()}\n\n${children.join('\n\n')}`, children };
    });
  const firstSentence = (p: string) => /^[^.!?。！？]+[.!?。！？]?/.exec(p)?.[0] ?? p;
  const summary = [title, ...parents.map((p) => `${p.heading}: ${firstSentence(p.children[0] ?? '')}`)].join('\n');
  return { fileName, summary, parents };
}

/** Every Markdown file of a fixture directory, as drafts. */
export function draftsFromDir(dir: URL): DraftDocument[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.md'))
    .sort()
    .map((f) => draftFromMarkdown(f, readFileSync(new URL(f, dir), 'utf8')));
}
