import { writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { checkPhrases } from './check.ts';
import {
  evaluate,
  formatByStyle,
  formatMisses,
  formatTable,
  languageOf,
  loadQuestions,
  QUESTION_SETS,
  type QuestionSet,
  type SystemResult,
} from './harness.ts';
import { buildEvalKb, type CorpusStats, childChunks, corpusFiles, haystackFiles } from './kb.ts';
import { SYSTEMS } from './systems.ts';

/**
 * `npm run eval`: for each question set, ingests that language's corpus into a fresh data
 * directory and prints answer@1, answer@5, MRR and doc@1 of every system, BM25 first.
 *   --set zh-dev        only this set (repeatable; default: all four)
 *   --misses <system>   also list the questions that system misses at 5 (repeatable)
 *   --json <file>       write every outcome as JSON
 *   --by-style          also print answer@5 per question style (paraphrase, keyword, command, path, number)
 *   --check             only check the answer phrases against the indexed chunks
 *   --haystack <dir>    also ingest every .txt, .md and .html file under <dir> into each KB
 *                       (real documents beside the corpus, to ask at the size a team's KB reaches)
 * ONEAPI_BASE_URL with EMBEDDING_MODEL (and RERANK_MODEL) in the environment measure that
 * gateway's models instead of the built-in embedder (`EVAL_SETTINGS` in kb.ts).
 */
const { values } = parseArgs({
  options: {
    set: { type: 'string', multiple: true },
    misses: { type: 'string', multiple: true },
    json: { type: 'string' },
    'by-style': { type: 'boolean', default: false },
    check: { type: 'boolean', default: false },
    haystack: { type: 'string' },
  },
});

const sets = (values.set ?? [...QUESTION_SETS]) as QuestionSet[];
for (const s of sets) {
  if (!QUESTION_SETS.includes(s)) throw new Error(`unknown set ${s}; choose from ${QUESTION_SETS.join(', ')}`);
}
const names = SYSTEMS.map((s) => s.name);
for (const m of values.misses ?? []) {
  if (!names.includes(m))
    throw new Error(`unknown system "${m}"; choose from ${names.map((n) => `"${n}"`).join(', ')}`);
}

const report = {
  startedAt: new Date().toISOString(),
  sets: {} as Record<string, { stats: CorpusStats; results: SystemResult[] }>,
};
let problems = 0;
for (const set of sets) {
  const questions = loadQuestions(set);
  const files = [...corpusFiles(languageOf(set)), ...(values.haystack ? haystackFiles(values.haystack) : [])];
  const kb = await buildEvalKb(files, process.env);
  try {
    const { documents, parents, children, ingestSeconds } = kb.stats;
    console.log(`\n## ${set}: ${questions.length} questions`);
    console.log(
      `corpus: ${documents} documents, ${parents} parents, ${children} children, ingested in ${ingestSeconds.toFixed(1)} s; ` +
        `embeddings ${kb.deps.embedder.model}${kb.deps.reranker ? `, rerank ${kb.deps.config.RERANK_MODEL}` : ''}`,
    );
    if (values.check) {
      const found = checkPhrases(questions, childChunks(kb));
      for (const p of found) console.log(`- ${p.id} "${p.phrase}": ${p.problem}`);
      console.log(found.length === 0 ? 'every answer phrase checks out' : `${found.length} problems`);
      problems += found.length;
      continue;
    }
    const results = await evaluate(kb, SYSTEMS, questions);
    console.log(
      `load average: ${loadavg()
        .map((n) => n.toFixed(2))
        .join(' ')}\n`,
    );
    console.log(formatTable(results));
    if (values['by-style']) console.log(`\nanswer@5 by question style:\n${formatByStyle(results, questions)}`);
    for (const m of values.misses ?? []) {
      const result = results.find((r) => r.system === m);
      if (result) console.log(`\n${formatMisses(result, questions)}`);
    }
    report.sets[set] = { stats: kb.stats, results };
  } finally {
    await kb.close();
  }
}
if (values.json) {
  writeFileSync(values.json, JSON.stringify(report, null, 2));
  console.log(`\nresults written to ${values.json}`);
}
if (problems > 0) process.exitCode = 1;
