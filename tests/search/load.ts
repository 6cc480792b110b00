import { createHash, randomUUID } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { analyseChunks, type ChunkRow, writeDocumentChunks } from '../../services/core/db/chunk-index.ts';
import type { Deps } from '../../services/core/deps.ts';
import { embeddingText } from '../../services/core/ingest/embedding-text.ts';

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

/**
 * Writes a completed document the way ingestion does: a `documents` row, chunks for the three
 * layers (summary, parents, children), their full-text rows and vectors, through the same writer ingestion uses.
 */
export async function writeDocument(
  deps: Pick<Deps, 'db' | 'embedder' | 'vectors'>,
  userId: string,
  kbId: string,
  draft: DraftDocument,
): Promise<LoadedDocument> {
  const documentId = randomUUID();
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
  const size = draft.parents.reduce((n, p) => n + p.content.length, 0);
  const analysed = analyseChunks(rows);
  const { sqlite } = deps.db;
  sqlite.transaction(() => {
    sqlite
      .prepare(
        `INSERT INTO documents (id, user_id, kb_id, file_name, mime_type, size, sha256, storage_key, status, progress,
           summary, parent_count, child_count, completed_at)
         VALUES (?, ?, ?, ?, 'text/markdown', ?, ?, ?, 'completed', 100, ?, ?, ?, ?)`,
      )
      .run(
        documentId,
        userId,
        kbId,
        draft.fileName,
        size,
        createHash('sha256').update(documentId).digest('hex'),
        `test/${documentId}`,
        draft.summary,
        draft.parents.length,
        rows.length - draft.parents.length - 1,
        Date.now(),
      );
    writeDocumentChunks(deps.db, { userId, kbId, documentId }, rows, analysed);
  })();
  const vectors = await deps.embedder.embed(rows.map(embeddingText));
  await deps.vectors.upsert(
    rows.map((r, i) => ({
      id: r.id,
      userId,
      kbId,
      documentId,
      parentId: r.parentId,
      layer: r.layer,
      vector: vectors[i],
    })),
  );
  return { id: documentId, fileName: draft.fileName, parents };
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
