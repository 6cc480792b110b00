import { kbAccess, type Principal } from '../access/index.ts';
import type { Deps } from '../deps.ts';
import type { ChatMessage } from '../llm/index.ts';
import { extractiveAnswer, pieces } from './extractive.ts';
import { conversationQuery } from './follow-up.ts';
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

/**
 * Retrieves passages for the question, read in its conversation, and prepares the answer
 * (LLM when configured, else extractive).
 */
export async function prepareAnswer(deps: Deps, who: Principal, input: PrepareInput): Promise<PreparedAnswer> {
  const kb = kbAccess(deps.db, who, input.kbId, 'read');
  const language = detectLanguage(input.question);
  const chat = deps.chat;
  const model = chat ? resolveModel(deps, kb, { model: input.model ?? null }) : EXTRACTIVE_MODEL;
  const query = await conversationQuery(deps, { question: input.question, history: input.history ?? [], model });
  const { hits, citations } = await retrieveContext(deps, who, kb.id, query.text);
  const messages = buildPrompt({
    question: input.question,
    language,
    hits,
    citations,
    history: input.history,
    instructions: input.instructions,
  });
  if (!chat) {
    const text = extractiveAnswer(input.question, citations, language, query.carried);
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
