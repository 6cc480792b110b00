import { answeringExcerpts, headOf } from './excerpt.ts';
import type { AnswerLanguage, Citation } from './types.ts';

const MAX_QUOTES = 3;
/** A passage is quoted when its best sentence matches at least this share of the best one's score. */
const RELATIVE_FLOOR = 0.5;
const HEAD_CHARS = 400;

interface Quote {
  citation: Citation;
  text: string;
}

/**
 * What to quote: the sentences that answer the question (with a little context) from the
 * passages that hold them, best first; when no sentence shares a word with the question, the
 * head of the best passages.
 */
function quotesFor(question: string, citations: Citation[], carried: string[]): Quote[] {
  const excerpts = answeringExcerpts(
    question,
    citations.map((c) => c.quote),
    carried,
  );
  const top = excerpts[0]?.score ?? 0;
  const chosen: typeof excerpts = [];
  for (const e of excerpts) {
    if (e.score < top * RELATIVE_FLOOR || chosen.length === MAX_QUOTES) break;
    // Overlapping passages hold the same sentence: quote it once.
    if (!chosen.some((c) => c.text.includes(e.sentence))) chosen.push(e);
  }
  if (chosen.length > 0) {
    return chosen.flatMap((e) => {
      const citation = citations[e.passage];
      return citation ? [{ citation, text: e.text }] : [];
    });
  }
  return [...citations]
    .sort((a, b) => b.score - a.score)
    .slice(0, MAX_QUOTES)
    .map((citation) => ({ citation, text: headOf(citation.quote, HEAD_CHARS) }));
}

/**
 * The answer without a language model: the sentences of the retrieved passages that answer
 * the question, quoted, each with its passage's [n] marker and source file, so it carries the
 * same citations an LLM answer would. `carried` are the words a follow-up takes from the
 * earlier questions: they count too, less than the question's own.
 */
export function extractiveAnswer(
  question: string,
  citations: Citation[],
  language: AnswerLanguage,
  carried: string[] = [],
): string {
  const quotes = quotesFor(question, citations, carried);
  if (quotes.length === 0) {
    return language === 'zh'
      ? '知识库中没有找到与这个问题相关的内容。'
      : 'I found nothing about this in the knowledge base.';
  }
  const intro =
    language === 'zh'
      ? '以下是知识库中最相关的原文（未配置语言模型，直接引用）：'
      : 'These are the most relevant passages in the knowledge base (no language model is configured, so they are quoted as they are):';
  const lines = quotes.map((q) => `> ${q.text} [${q.citation.index}]\n> — ${q.citation.fileName}`);
  return [intro, ...lines].join('\n\n');
}

/** Splits a finished text into pieces so an extractive answer streams like a model's. */
export function pieces(text: string): string[] {
  return text.match(/\S+\s*|\s+/g) ?? [text];
}
