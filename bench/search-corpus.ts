import { randomUUID } from 'node:crypto';
import type { Deps } from '../services/core/deps.ts';
import { segmentForIndex } from '../services/core/text/tokenize.ts';
import type { VectorPoint } from '../services/core/vector-store/index.ts';

/** A deterministic pseudo-random source so runs are comparable. */
export function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const SYLLABLES = 'ka ro mi te su na lo vi pe da zu ri mo ne ta ga bo li se fu'.split(' ');
const HANZI = '数据模型系统网络服务存储索引查询缓存节点集群安全权限日志监控性能部署配置应用接口文件文档用户管理'.split(
  '',
);

/** A vocabulary of English-like and Chinese words; each document draws its topic from it. */
export function vocabulary(size: number, random: () => number): string[] {
  const words = new Set<string>();
  for (let attempt = 0; words.size < size; attempt++) {
    if (attempt % 2 === 0) {
      const n = 2 + Math.floor(random() * 2);
      words.add(Array.from({ length: n }, () => SYLLABLES[Math.floor(random() * SYLLABLES.length)]).join(''));
    } else {
      const n = 2 + Math.floor(random() * 2);
      words.add(Array.from({ length: n }, () => HANZI[Math.floor(random() * HANZI.length)]).join(''));
    }
  }
  return [...words];
}

export interface Corpus {
  userId: string;
  kbId: string;
  /** Topic words per document, to build queries from. */
  topics: string[][];
  childCount: number;
}

/**
 * Writes `children` child chunks as documents of 10 parents x 10 children (plus a summary each)
 * straight into chunks, chunks_fts and the vector store: no parsing, no queue.
 */
export async function buildCorpus(deps: Deps, children: number, seed = 42): Promise<Corpus> {
  const random = rng(seed);
  const vocab = vocabulary(5000, random);
  const pick = (from: string[]) => from[Math.floor(random() * from.length)];
  const sentence = (topic: string[], n: number) =>
    Array.from({ length: n }, () => (random() < 0.6 ? pick(topic) : pick(vocab))).join(' ');
  const { sqlite } = deps.db;
  const userId = randomUUID();
  const kbId = randomUUID();
  sqlite.prepare('INSERT INTO users (id, email, password_hash) VALUES (?, ?, ?)').run(userId, `${userId}@bench`, 'x');
  sqlite.prepare('INSERT INTO knowledge_bases (id, user_id, title) VALUES (?, ?, ?)').run(kbId, userId, 'bench');
  const insertDoc = sqlite.prepare(
    `INSERT INTO documents (id, user_id, kb_id, file_name, mime_type, size, sha256, storage_key, status, summary)
     VALUES (?, ?, ?, ?, 'text/plain', 1, '', '', 'completed', ?)`,
  );
  const insertChunk = sqlite.prepare(
    'INSERT INTO chunks (id, user_id, kb_id, document_id, parent_id, layer, position, content) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
  );
  const insertFts = sqlite.prepare(
    'INSERT INTO chunks_fts (content, chunk_id, kb_id, document_id, parent_id, layer) VALUES (?, ?, ?, ?, ?, ?)',
  );
  const topics: string[][] = [];
  const docs = Math.ceil(children / 100);
  for (let d = 0; d < docs; d++) {
    const topic = Array.from({ length: 30 }, () => pick(vocab));
    topics.push(topic);
    const documentId = randomUUID();
    const rows: Array<Omit<VectorPoint, 'vector'> & { content: string; position: number }> = [];
    const summary = sentence(topic, 40);
    rows.push({
      id: randomUUID(),
      userId,
      kbId,
      documentId,
      parentId: null,
      layer: 'document',
      content: summary,
      position: 0,
    });
    for (let p = 0; p < 10; p++) {
      const parentId = randomUUID();
      const kids = Array.from({ length: 10 }, () => sentence(topic, 25));
      rows.push({
        id: parentId,
        userId,
        kbId,
        documentId,
        parentId: null,
        layer: 'parent',
        content: kids.join(' '),
        position: p,
      });
      kids.forEach((content, c) => {
        rows.push({ id: randomUUID(), userId, kbId, documentId, parentId, layer: 'child', content, position: c });
      });
    }
    const vectors = await deps.embedder.embed(rows.map((r) => r.content));
    const fts = rows.map((r) => segmentForIndex(r.content));
    sqlite.transaction(() => {
      insertDoc.run(documentId, userId, kbId, `doc-${d}.txt`, summary);
      rows.forEach((r, i) => {
        insertChunk.run(r.id, userId, kbId, documentId, r.parentId, r.layer, r.position, r.content);
        insertFts.run(fts[i], r.id, kbId, documentId, r.parentId, r.layer);
      });
    })();
    await deps.vectors.upsert(rows.map(({ content: _c, position: _p, ...r }, i) => ({ ...r, vector: vectors[i] })));
  }
  return { userId, kbId, topics, childCount: docs * 100 };
}
