import { readFileSync } from 'node:fs';
import { z } from 'zod';
import type { EvalKb, Language, Passage } from './kb.ts';
import type { EvalSystem } from './systems.ts';

export const QUESTIONS_DIR = new URL('./questions/', import.meta.url);
export const QUESTION_SETS = ['zh-dev', 'en-dev', 'zh-holdout', 'en-holdout'] as const;
export type QuestionSet = (typeof QUESTION_SETS)[number];

const STYLES = ['paraphrase', 'keyword', 'command', 'path', 'number'] as const;

const questionSchema = z.object({
  id: z.string().min(1),
  q: z.string().min(1),
  answers: z.array(z.string().min(1)).min(1),
  doc: z.string().min(1),
  style: z.enum(STYLES),
});
export type Question = z.infer<typeof questionSchema>;

export const languageOf = (set: QuestionSet): Language => (set.startsWith('zh') ? 'zh' : 'en');

/** The questions of one set, validated; ids must be unique within the set. */
export function loadQuestions(set: QuestionSet): Question[] {
  const raw = JSON.parse(readFileSync(new URL(`${set}.json`, QUESTIONS_DIR), 'utf8'));
  const questions = z.array(questionSchema).parse(raw);
  const ids = new Set(questions.map((q) => q.id));
  if (ids.size !== questions.length) throw new Error(`${set}: question ids are not unique`);
  return questions;
}

const CJK = '\\u3000-\\u303f\\u3400-\\u9fff\\uff00-\\uffef';
const SPACE_IN_CJK = new RegExp(`(?<=[${CJK}]) (?=[${CJK}])`, 'g');

/**
 * Text as answers are compared: whitespace collapsed to single spaces, none between Chinese
 * characters (a line break of the source is not part of the answer), lower case.
 */
export const normalise = (text: string) => text.replace(/\s+/g, ' ').replace(SPACE_IN_CJK, '').trim().toLowerCase();

/** A passage contains the answer iff it contains one of the answer phrases. */
export function containsAnswer(content: string, answers: string[]): boolean {
  const text = normalise(content);
  return answers.some((a) => text.includes(normalise(a)));
}

/** What one system returned for one question. */
export interface Outcome {
  id: string;
  /** 1-based rank of the first passage containing the answer; null when none of the passages does. */
  rank: number | null;
  /** The top passage came from the question's document. */
  docAt1: boolean;
  top: Passage | null;
}

export async function runSystem(kb: EvalKb, system: EvalSystem, questions: Question[], topK: number) {
  const outcomes: Outcome[] = [];
  for (const question of questions) {
    const passages = (await system.passages(kb, question.q, topK)).slice(0, topK);
    const index = passages.findIndex((p) => containsAnswer(p.content, question.answers));
    const top = passages[0] ?? null;
    outcomes.push({ id: question.id, rank: index < 0 ? null : index + 1, docAt1: top?.fileName === question.doc, top });
  }
  return outcomes;
}

export interface Metrics {
  questions: number;
  answerAt1: number;
  answerAt5: number;
  /** Mean reciprocal rank over the returned passages (0 for a miss). */
  mrr: number;
  docAt1: number;
}

export function metricsOf(outcomes: Outcome[]): Metrics {
  return {
    questions: outcomes.length,
    answerAt1: outcomes.filter((o) => o.rank === 1).length,
    answerAt5: outcomes.filter((o) => o.rank !== null && o.rank <= 5).length,
    mrr: outcomes.reduce((n, o) => n + (o.rank ? 1 / o.rank : 0), 0) / Math.max(1, outcomes.length),
    docAt1: outcomes.filter((o) => o.docAt1).length,
  };
}

export interface SystemResult {
  system: string;
  metrics: Metrics;
  outcomes: Outcome[];
}

/** Runs every system over the questions against one knowledge base, in the systems' order. */
export async function evaluate(
  kb: EvalKb,
  systems: EvalSystem[],
  questions: Question[],
  topK = 5,
): Promise<SystemResult[]> {
  const results: SystemResult[] = [];
  for (const system of systems) {
    const outcomes = await runSystem(kb, system, questions, topK);
    results.push({ system: system.name, metrics: metricsOf(outcomes), outcomes });
  }
  return results;
}

const pct = (n: number, of: number) => `${n}/${of} (${((100 * n) / Math.max(1, of)).toFixed(1)}%)`;

/** One Markdown table: systems as rows in the order given. */
export function formatTable(results: SystemResult[]): string {
  const lines = ['| system | answer@1 | answer@5 | MRR@5 | doc@1 |', '|---|---:|---:|---:|---:|'];
  for (const { system, metrics: m } of results) {
    const row = [pct(m.answerAt1, m.questions), pct(m.answerAt5, m.questions), m.mrr.toFixed(3)];
    lines.push(`| ${system} | ${row.join(' | ')} | ${pct(m.docAt1, m.questions)} |`);
  }
  return lines.join('\n');
}

/** answer@5 of every system for each question style, to see which kinds of question a system loses. */
export function formatByStyle(results: SystemResult[], questions: Question[]): string {
  const styleOf = new Map(questions.map((q) => [q.id, q.style]));
  const styles = STYLES.filter((style) => questions.some((q) => q.style === style));
  const lines = [`| system | ${styles.join(' | ')} |`, `|---|${styles.map(() => '---:').join('|')}|`];
  for (const { system, outcomes } of results) {
    const cells = styles.map((style) => {
      const of = outcomes.filter((o) => styleOf.get(o.id) === style);
      return `${of.filter((o) => o.rank !== null).length}/${of.length}`;
    });
    lines.push(`| ${system} | ${cells.join(' | ')} |`);
  }
  return lines.join('\n');
}

/** The questions a system missed at 5, each with what it returned first. */
export function formatMisses(result: SystemResult, questions: Question[]): string {
  const byId = new Map(questions.map((q) => [q.id, q]));
  const lines = [`Misses of ${result.system} (${result.outcomes.filter((o) => o.rank === null).length}):`];
  for (const o of result.outcomes) {
    if (o.rank !== null) continue;
    const q = byId.get(o.id);
    const first = o.top ? `${o.top.fileName}: ${o.top.content.replace(/\s+/g, ' ').slice(0, 160)}` : 'nothing';
    lines.push(`- ${o.id} [${q?.doc}] ${q?.q}\n    wanted: ${q?.answers.join(' | ')}\n    first:  ${first}`);
  }
  return lines.join('\n');
}
