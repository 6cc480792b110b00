import type { Question } from './harness.ts';
import { normalise } from './harness.ts';
import type { Passage } from './kb.ts';

/** An answer phrase in more child chunks than this says little about whether a passage answers. */
export const MAX_PHRASE_SPREAD = 5;

export interface PhraseProblem {
  id: string;
  phrase: string;
  problem: string;
}

/**
 * Checks every answer phrase against the indexed child chunks: it must occur in a child of
 * the question's document, and in at most MAX_PHRASE_SPREAD children of the whole corpus.
 * A question whose phrases all fail is unanswerable as written.
 */
export function checkPhrases(questions: Question[], children: Passage[]): PhraseProblem[] {
  const files = new Set(children.map((c) => c.fileName));
  const texts = children.map((c) => ({ fileName: c.fileName, text: normalise(c.content) }));
  const problems: PhraseProblem[] = [];
  for (const q of questions) {
    if (!files.has(q.doc)) {
      problems.push({ id: q.id, phrase: '', problem: `document ${q.doc} is not in the corpus` });
      continue;
    }
    for (const phrase of q.answers) {
      const needle = normalise(phrase);
      const hits = texts.filter((t) => t.text.includes(needle));
      if (!hits.some((h) => h.fileName === q.doc)) {
        const elsewhere = [...new Set(hits.map((h) => h.fileName))].join(', ') || 'nowhere';
        problems.push({ id: q.id, phrase, problem: `not in a child of ${q.doc} (found in ${elsewhere})` });
      } else if (hits.length > MAX_PHRASE_SPREAD) {
        problems.push({ id: q.id, phrase, problem: `in ${hits.length} children: too common to tell` });
      }
    }
  }
  return problems;
}
