import type { Deps } from '../deps.ts';
import { countTokens } from '../text/tokenize.ts';
import { extractiveSummary } from './extractive-summary.ts';
import type { Block } from './parsers/types.ts';

const EXCERPT_TOKENS = 6000;
const OUTLINE_ITEMS = 60;

const SYSTEM_PROMPT = `You write a "K-Type" summary of a document for a knowledge base's search index.
In the document's own language, plain text, no preamble, at most 200 words:
1. the kind of knowledge it holds (policy, how-to guide, reference manual, FAQ, report, meeting notes, ...);
2. its main modules or sections, by their own titles;
3. the terms, commands, products and names it defines or explains, as they are written in the text;
4. its key facts.
Use the words a reader would search for; do not invent anything the text does not say.`;

export interface SummaryResult {
  summary: string;
  source: 'llm' | 'extractive';
}

function prompt(title: string, blocks: Block[]): string {
  const outline = blocks
    .filter((b) => b.heading !== undefined)
    .slice(0, OUTLINE_ITEMS)
    .map((b) => `${'  '.repeat(Math.max(0, (b.heading ?? 1) - 1))}- ${b.text}`);
  const excerpt: string[] = [];
  let tokens = 0;
  for (const b of blocks) {
    tokens += countTokens(b.text);
    if (tokens > EXCERPT_TOKENS) break;
    excerpt.push(b.text);
  }
  return `Title: ${title}\n\nOutline:\n${outline.join('\n') || '(none)'}\n\nBeginning of the text:\n${excerpt.join('\n\n')}`;
}

/**
 * The document-layer summary: from the chat model (SUMMARY_MODEL) when ONEAPI is configured,
 * else extractive. A failed model call falls back to extractive and is logged; it never fails
 * the document.
 */
export async function summarize(
  deps: Pick<Deps, 'chat' | 'config' | 'logger'>,
  title: string,
  blocks: Block[],
  signal?: AbortSignal,
): Promise<SummaryResult> {
  if (deps.chat) {
    try {
      const text = await deps.chat.complete(
        [
          { role: 'system', content: SYSTEM_PROMPT },
          { role: 'user', content: prompt(title, blocks) },
        ],
        { model: deps.config.SUMMARY_MODEL, temperature: 0.2, maxTokens: 400, signal },
      );
      const summary = text.trim();
      if (summary) return { summary: `${title}\n${summary}`, source: 'llm' };
      deps.logger.warn({ title }, 'summary model returned nothing; using the extractive summary');
    } catch (err) {
      deps.logger.warn(
        { title, err: err instanceof Error ? err.message : String(err) },
        'summary model failed; using the extractive summary',
      );
    }
  }
  return { summary: extractiveSummary(title, blocks), source: 'extractive' };
}
