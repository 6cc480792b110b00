import { randomUUID } from 'node:crypto';
import type { ChunkRow } from '../services/core/db/chunk-index.ts';
import type { Deps } from '../services/core/deps.ts';
import { createKb } from '../services/core/kbs/index.ts';
import { insertUser, writeChunkedDocument } from '../tests/search/load.ts';

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
 * through the index writer ingestion uses and into the vector store: no parsing, no queue.
 */
export async function buildCorpus(deps: Deps, children: number, seed = 42): Promise<Corpus> {
  const random = rng(seed);
  const vocab = vocabulary(5000, random);
  const pick = (from: string[]) => from[Math.floor(random() * from.length)];
  const sentence = (topic: string[], n: number) =>
    Array.from({ length: n }, () => (random() < 0.6 ? pick(topic) : pick(vocab))).join(' ');
  const userId = insertUser(deps, `${randomUUID()}@bench`);
  const kbId = createKb(deps.db, { userId }, { title: 'bench' }).id;
  const topics: string[][] = [];
  const docs = Math.ceil(children / 100);
  for (let d = 0; d < docs; d++) {
    const topic = Array.from({ length: 30 }, () => pick(vocab));
    topics.push(topic);
    const blank = { parentId: null, position: 0, heading: null, page: null, tokenCount: 0 };
    const summary = sentence(topic, 40);
    const rows: ChunkRow[] = [{ ...blank, id: randomUUID(), layer: 'document', heading: `doc-${d}`, content: summary }];
    for (let p = 0; p < 10; p++) {
      const parentId = randomUUID();
      const kids = Array.from({ length: 10 }, () => sentence(topic, 25));
      rows.push({ ...blank, id: parentId, layer: 'parent', position: p, content: kids.join(' ') });
      kids.forEach((content, c) => {
        rows.push({ ...blank, id: randomUUID(), parentId, layer: 'child', position: c, content });
      });
    }
    await writeChunkedDocument(deps, { userId, kbId }, { fileName: `doc-${d}.txt`, summary, rows });
  }
  return { userId, kbId, topics, childCount: docs * 100 };
}
