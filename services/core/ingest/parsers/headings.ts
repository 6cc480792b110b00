const CN_NUM = '[一二三四五六七八九十百千零〇两\\d]+';
const PATTERNS: Array<[RegExp, number]> = [
  [new RegExp(`^第${CN_NUM}[章篇部]`), 1],
  [new RegExp(`^第${CN_NUM}节`), 2],
  [/^[一二三四五六七八九十]+[、.．]\s*\S/, 2],
  [new RegExp(`^第${CN_NUM}条`), 3],
  [/^[（(][一二三四五六七八九十]+[)）]\s*\S/, 3],
];
const NUMBERED = /^(\d{1,2}(?:\.\d{1,2}){0,4})\.?\s+[\p{L}\p{N}]/u;
const SENTENCE_END = /[.。!！?？,，;；:：]$/;
const MAX_HEADING_CHARS = 80;

/**
 * The heading level of a line of plain text, or undefined when it reads as prose:
 * "第一章 总则" (1), "第二节" and "一、" (2), "第三条" and "（一）" (3), "1.2 Scope" (dots + 1).
 */
export function headingLevel(line: string): number | undefined {
  const text = line.trim();
  if (text.length === 0 || text.length > MAX_HEADING_CHARS || SENTENCE_END.test(text)) return undefined;
  for (const [pattern, level] of PATTERNS) if (pattern.test(text)) return level;
  const numbered = NUMBERED.exec(text);
  if (numbered?.[1]) return Math.min(6, numbered[1].split('.').length);
  return undefined;
}
