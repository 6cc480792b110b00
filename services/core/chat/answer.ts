import { kbAccess, type Principal } from '../access/index.ts';
import type { Deps } from '../deps.ts';
import type { ChatMessage } from '../llm/index.ts';
import { extractiveAnswer, pieces } from './extractive.ts';
import { detectLanguage } from './language.ts';
import { EXTRACTIVE_MODEL, resolveModel } from './models.ts';
import { buildPrompt } from './prompt.ts';
import { retrieveContext } from './retrieve.ts';
import type { Citation } from './types.ts';

const TEMPERATURE = 0.2;

/** Everything known before the model speaks: the prompt, the citations and who answers. */
export interface PreparedAnswer {
  kbId: string;
  question: string;
  /** The model that will answer, or `extractive` without ONEAPI. */
  model: string;
  messages: ChatMessage[];
  citations: Citation[];
  /** The answer as pieces: model deltas, or the extractive answer cut into words. */
  stream(signal?: AbortSignal): AsyncIterable<string>;
  /** The whole answer in one call. */
  complete(signal?: AbortSignal): Promise<string>;
}

export interface PrepareInput {
  kbId: string;
  question: string;
  history?: ChatMessage[];
  /** A session's model choice; the KB's and CHAT_MODEL come after it. */
  model?: string | null;
  /** An API client's own system message. */
  instructions?: string;
}

/** Retrieves passages for the question and prepares the answer (LLM when configured, else extractive). */
export async function prepareAnswer(deps: Deps, who: Principal, input: PrepareInput): Promise<PreparedAnswer> {
  const kb = kbAccess(deps.db, who, input.kbId, 'read');
  const language = detectLanguage(input.question);
  const { hits, citations } = await retrieveContext(deps, who, kb.id, input.question);
  const messages = buildPrompt({
    question: input.question,
    language,
    hits,
    citations,
    history: input.history,
    instructions: input.instructions,
  });
  const chat = deps.chat;
  if (!chat) {
    const text = extractiveAnswer(input.question, citations, language);
    return {
      kbId: kb.id,
      question: input.question,
      model: EXTRACTIVE_MODEL,
      messages,
      citations,
      async *stream() {
        yield* pieces(text);
      },
      complete: async () => text,
    };
  }
  const model = resolveModel(deps, kb, { model: input.model ?? null });
  return {
    kbId: kb.id,
    question: input.question,
    model,
    messages,
    citations,
    stream: (signal) => chat.stream(messages, { model, temperature: TEMPERATURE, signal }),
    complete: (signal) => chat.complete(messages, { model, temperature: TEMPERATURE, signal }),
  };
}
