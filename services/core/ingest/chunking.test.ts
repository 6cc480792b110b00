import { describe, expect, it } from 'vitest';
import { countTokens } from '../text/tokenize.ts';
import { CHUNKING, chunkDocument } from './chunking.ts';
import { parseMarkdown } from './parsers/markdown.ts';
import { parseText } from './parsers/text.ts';
import type { Block } from './parsers/types.ts';
import { splitSentences } from './sentences.ts';

const english = (topic: string, n: number) =>
  Array.from({ length: n }, (_, i) => `The ${topic} rule number ${i} says operators check item ${i} every day.`).join(
    ' ',
  );
const chinese = (topic: string, n: number) =>
  Array.from({ length: n }, (_, i) => `${topic}第${i}条规定：运维人员每天检查第${i}项配置。`).join('');

describe('sentence splitting', () => {
  it('splits Chinese and English sentences and keeps every character', () => {
    const text = '数据库每日备份。是否加密？必须加密！Version 1.2 ships today. Really? Yes.\nNext line';
    const parts = splitSentences(text);
    expect(parts.join('')).toBe(text);
    expect(parts).toEqual([
      '数据库每日备份。',
      '是否加密？',
      '必须加密！',
      'Version 1.2 ships today. ',
      'Really? ',
      'Yes.\n',
      'Next line',
    ]);
  });
});

describe('parent/child chunking', () => {
  const md = [
    '# Operations handbook',
    '## Backups',
    english('backup', 60),
    '## Monitoring',
    english('monitoring', 40),
    '## 数据安全',
    chinese('数据安全', 120),
  ].join('\n\n');
  const parents = chunkDocument(parseMarkdown(Buffer.from(md)).blocks);
  const children = parents.flatMap((p) => p.children);

  it('keeps parents and children within their token bounds', () => {
    expect(parents.length).toBeGreaterThan(2);
    for (const p of parents) expect(p.tokenCount).toBeLessThanOrEqual(CHUNKING.parentMax + 10);
    for (const c of children) expect(countTokens(c.content)).toBeLessThanOrEqual(CHUNKING.childMax);
    const big = parents.filter((p) => p.tokenCount >= CHUNKING.parentMin);
    expect(big.length).toBeGreaterThan(0);
    expect(children.filter((c) => c.tokenCount >= 200).length).toBeGreaterThan(children.length / 2);
  });

  it('starts a new parent at a heading and records the heading path', () => {
    const monitoring = parents.find((p) => p.content.includes('monitoring rule number 0 '));
    expect(monitoring?.heading).toBe('Operations handbook > Monitoring');
    expect(monitoring?.content.startsWith('Monitoring')).toBe(true);
    const zh = parents.find((p) => p.content.includes('数据安全第0条'));
    expect(zh?.heading).toBe('Operations handbook > 数据安全');
  });

  it('puts every sentence of the document into some child, with overlap between neighbours', () => {
    const all = children.map((c) => c.content).join('\n');
    for (let i = 0; i < 60; i++)
      expect(all).toContain(`The backup rule number ${i} says operators check item ${i} every day.`);
    for (let i = 0; i < 120; i++) expect(all).toContain(`数据安全第${i}条规定：运维人员每天检查第${i}项配置。`);
    const first = parents[0]?.children ?? [];
    const [a, b] = first;
    const lastSentence =
      splitSentences(a?.content ?? '')
        .at(-1)
        ?.trim() ?? 'missing';
    expect(b?.content).toContain(lastSentence);
    expect(countTokens(b?.content.split(lastSentence)[0] ?? '')).toBeLessThanOrEqual(CHUNKING.childOverlap);
    expect(children.map((c) => c.position)).toEqual(children.map((_, i) => i));
  });

  it('finds numbered sections in plain text', () => {
    const text = `1 Scope\n${english('scope', 55)}\n\n1.1 Terms\n${english('terms', 55)}\n\n2 Duties\n${english('duty', 10)}`;
    const ps = chunkDocument(parseText(Buffer.from(text)).blocks);
    expect(ps.map((p) => p.heading)).toEqual(['1 Scope', '1 Scope > 1.1 Terms', '2 Duties']);
  });

  it('cuts a single huge paragraph without punctuation', () => {
    const blob = '无标点长文本'.repeat(1000);
    const ps = chunkDocument([{ text: blob }]);
    const joined = ps.map((p) => p.content).join('');
    expect(joined).toBe(blob);
    for (const p of ps) expect(p.tokenCount).toBeLessThanOrEqual(CHUNKING.parentMax);
    for (const c of ps.flatMap((p) => p.children)) expect(c.tokenCount).toBeLessThanOrEqual(CHUNKING.childMax);
  });

  it('keeps a tiny document as one parent and one child', () => {
    const ps = chunkDocument([{ text: 'Just one line.' }]);
    expect(ps).toHaveLength(1);
    expect(ps[0]?.children.map((c) => c.content)).toEqual(['Just one line.']);
  });
});

describe('records (spreadsheet rows)', () => {
  const row = (i: number) => `城市: 城市${i}; 产品: 产品${i}; 价格: ${100 + i}`;
  const sheet = (name: string, rows: number): Block[] => [
    { text: name, heading: 1 },
    ...Array.from({ length: rows }, (_, i) => ({ text: row(i), record: true as const })),
  ];

  it('makes each record one child exactly as it is, and each small sheet a parent of its own', () => {
    const parents = chunkDocument([{ text: 'A workbook of prices.' }, ...sheet('价格表', 3), ...sheet('联系人', 2)]);
    expect(parents.map((p) => [p.heading, p.children.map((c) => c.content)])).toEqual([
      [null, ['A workbook of prices.']],
      ['价格表', [row(0), row(1), row(2)]],
      ['联系人', [row(0), row(1)]],
    ]);
  });

  it('cuts a large sheet between rows, never inside one', () => {
    const blocks = sheet('明细', 600);
    const parents = chunkDocument(blocks);
    expect(parents.length).toBeGreaterThan(3);
    const children = parents.flatMap((p) => p.children.map((c) => c.content));
    expect(children).toEqual(blocks.filter((b) => b.record).map((b) => b.text));
    for (const p of parents) {
      expect(p.heading).toBe('明细');
      expect(p.tokenCount).toBeLessThanOrEqual(CHUNKING.parentMax);
    }
  });
});
