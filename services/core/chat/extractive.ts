import type { AnswerLanguage, Citation } from './types.ts';

const MAX_QUOTES = 3;
const QUOTE_CHARS = 500;

const clip = (s: string) => {
  const flat = s.replace(/\s+/g, ' ').trim();
  return flat.length > QUOTE_CHARS ? `${flat.slice(0, QUOTE_CHARS)}…` : flat;
};

/**
 * The answer without a language model: the best passages, quoted, each with its [n] marker
 * and source file, so it carries the same citations an LLM answer would.
 */
export function extractiveAnswer(citations: Citation[], language: AnswerLanguage): string {
  const best = [...citations].sort((a, b) => b.score - a.score).slice(0, MAX_QUOTES);
  if (best.length === 0) {
    return language === 'zh'
      ? '知识库中没有找到与这个问题相关的内容。'
      : 'I found nothing about this in the knowledge base.';
  }
  const intro =
    language === 'zh'
      ? '以下是知识库中最相关的原文（未配置语言模型，直接引用）：'
      : 'These are the most relevant passages in the knowledge base (no language model is configured, so they are quoted as they are):';
  const quotes = best.map((c) => `> ${clip(c.quote)} [${c.index}]\n> — ${c.fileName}`);
  return [intro, ...quotes].join('\n\n');
}

/** Splits a finished text into pieces so an extractive answer streams like a model's. */
export function pieces(text: string): string[] {
  return text.match(/\S+\s*|\s+/g) ?? [text];
}
