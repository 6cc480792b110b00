import type { AnswerLanguage } from './types.ts';

const HAN = /[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]/gu;
const LATIN_WORD = /[A-Za-z]+/g;

/**
 * Chinese when the question holds at least as many Han characters as Latin words (so a
 * Chinese question naming "Docker" or "API" is still Chinese), English otherwise.
 */
export function detectLanguage(text: string): AnswerLanguage {
  const han = text.match(HAN)?.length ?? 0;
  if (han === 0) return 'en';
  const latin = text.match(LATIN_WORD)?.length ?? 0;
  return han >= latin ? 'zh' : 'en';
}
