/** Deterministic generated documents for the ingest benchmark and the crash tests. */

const EN_WORDS =
  'backup restore replica cluster index query latency cache eviction memory disk snapshot policy token user tenant quota alert metric dashboard deploy rollback release schema migration shard queue worker retry timeout certificate firewall audit log'.split(
    ' ',
  );
const ZH_WORDS =
  '备份 恢复 副本 集群 索引 查询 延迟 缓存 淘汰 内存 磁盘 快照 策略 令牌 用户 租户 配额 告警 指标 看板 部署 回滚 发布 模式 迁移 分片 队列 任务 重试 超时 证书 防火墙 审计 日志'.split(
    ' ',
  );

/** A small seeded PRNG (mulberry32) so every run generates the same corpus. */
export function rng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pick = <T>(r: () => number, list: T[]): T => list[Math.floor(r() * list.length)] as T;

function englishSentence(r: () => number): string {
  const n = 8 + Math.floor(r() * 12);
  const words = Array.from({ length: n }, () => pick(r, EN_WORDS));
  const s = words.join(' ');
  return `${s.charAt(0).toUpperCase()}${s.slice(1)}.`;
}

function chineseSentence(r: () => number): string {
  const n = 6 + Math.floor(r() * 10);
  return `${Array.from({ length: n }, () => pick(r, ZH_WORDS)).join('')}${pick(r, ['。', '。', '！', '？'])}`;
}

function paragraph(r: () => number, chinese: boolean): string {
  const n = 3 + Math.floor(r() * 6);
  const sentences = Array.from({ length: n }, () => (chinese ? chineseSentence(r) : englishSentence(r)));
  return sentences.join(chinese ? '' : ' ');
}

/** A Markdown handbook of about `bytes` bytes: chapters, sections, English and Chinese paragraphs. */
export function generateHandbook(bytes: number, seed = 1): string {
  const r = rng(seed);
  const parts: string[] = ['# Operations handbook 运维手册'];
  let size = 0;
  let chapter = 0;
  while (size < bytes) {
    chapter++;
    const chapterTitle =
      chapter % 2 === 0
        ? `## 第${chapter}章 ${pick(r, ZH_WORDS)}管理`
        : `## ${chapter} ${pick(r, EN_WORDS)} operations`;
    parts.push(chapterTitle);
    size += Buffer.byteLength(chapterTitle);
    for (let s = 1; s <= 4 && size < bytes; s++) {
      const heading = `### ${chapter}.${s} ${pick(r, EN_WORDS)} ${pick(r, ZH_WORDS)}`;
      parts.push(heading);
      size += Buffer.byteLength(heading);
      for (let p = 0; p < 5 && size < bytes; p++) {
        const text = paragraph(r, r() < 0.4);
        parts.push(text);
        size += Buffer.byteLength(text) + 2;
      }
    }
  }
  return parts.join('\n\n');
}

/** A mixed corpus: small English and Chinese notes plus one handbook of `handbookBytes`. */
export function generateCorpus(count: number, handbookBytes: number): Array<{ name: string; content: string }> {
  const docs = Array.from({ length: count }, (_, i) => ({
    name: `note-${i}.md`,
    content: generateHandbook(4000 + (i % 5) * 3000, 100 + i),
  }));
  docs.push({ name: 'handbook.md', content: generateHandbook(handbookBytes, 7) });
  return docs;
}
