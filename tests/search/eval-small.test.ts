import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { evaluate, formatTable, loadQuestions, type SystemResult } from '../../bench/eval/harness.ts';
import { buildEvalKb, corpusFiles, type EvalKb, type Language } from '../../bench/eval/kb.ts';
import { BASELINE, DEFAULT_SYSTEM, SYSTEMS } from '../../bench/eval/systems.ts';

/** A few documents per language from the evaluation corpus and the dev questions they answer. */
const SUBSET: Record<Language, string[]> = {
  zh: ['ch05.zh-cn.html', 'dreq.zh-cn.html'],
  en: ['ch04.en.html', 'ch05.en.html'],
};
const QUESTIONS_PER_DOCUMENT = 6;

describe.each(['zh', 'en'] as const)('the small %s evaluation through the eval harness', (lang) => {
  const files = corpusFiles(lang).filter((f) => SUBSET[lang].includes(f.fileName));
  const questions = SUBSET[lang].flatMap((doc) =>
    loadQuestions(`${lang}-dev`)
      .filter((q) => q.doc === doc)
      .slice(0, QUESTIONS_PER_DOCUMENT),
  );
  let kb: EvalKb;
  let results: SystemResult[];

  beforeAll(async () => {
    kb = await buildEvalKb(files);
    results = await evaluate(kb, SYSTEMS, questions);
    console.info(`small ${lang} evaluation, ${questions.length} questions:\n${formatTable(results)}`);
  }, 120_000);
  afterAll(async () => kb?.close());

  it('ingests the chosen real documents and has enough questions to tell systems apart', () => {
    expect(files.map((f) => f.fileName).sort()).toEqual([...SUBSET[lang]].sort());
    expect(kb.stats.documents).toBe(files.length);
    expect(kb.stats.children).toBeGreaterThan(20);
    expect(questions.length).toBeGreaterThanOrEqual(12);
  });

  it('finds the answer in the top 5 with the default mode at least as often as plain BM25', () => {
    const of = (name: string) => results.find((r) => r.system === name)?.metrics;
    const baseline = of(BASELINE.name);
    const mode = of(DEFAULT_SYSTEM);
    expect(baseline?.answerAt5).toBeGreaterThan(0);
    expect(mode?.answerAt5).toBeGreaterThanOrEqual(baseline?.answerAt5 ?? Number.POSITIVE_INFINITY);
  });
});
