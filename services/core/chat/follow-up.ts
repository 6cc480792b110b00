import type { ChatClient, ChatMessage } from '../llm/index.ts';
import type { Logger } from '../logger.ts';
import { MAX_QUERY_CHARS } from '../search/index.ts';
import { segment } from '../text/tokenize.ts';

/** What a question in a conversation is searched with. */
export interface ConversationQuery {
  /** The search query: the model's standalone rewrite, or the question with recent turns' words. */
  text: string;
  /** Words carried over from earlier questions (empty for a rewrite or a first question). */
  carried: string[];
}

/** Earlier questions whose words a follow-up carries without a model, and how many words. */
const CARRIED_TURNS = 2;
const CARRIED_WORDS = 12;
/** A question longer than this is not repeated: it already outweighs the carried words. */
const REPEATED_CHARS = 600;
/** The rewrite is a short extra call before retrieval: it must not hold the answer up for long. */
const REWRITE_TIMEOUT_MS = 4000;
const REWRITE_MAX_TOKENS = 80;
const REWRITE_TURNS = 6;
const TURN_CHARS = 400;

const REWRITE_SYSTEM =
  'You rewrite the last question of a conversation as a standalone search query for a knowledge base. ' +
  'Resolve what it refers to from the earlier turns (the topic, names, places, the thing being compared). ' +
  'Reply with the query only, in the language of the question, without quotes or explanations.';

/**
 * Words of an earlier question standing right next to a word the follow-up repeats: the
 * follow-up swaps them ("first-tier cities" then "and for second-tier cities?", "一线城市" then
 * "那二线城市呢？"). Adjacency is read in the full sentence, so "住房" in "城市的住房" is not swapped.
 */
function swapped(all: string[], asked: Set<string>): Set<string> {
  const out = new Set<string>();
  all.forEach((word, i) => {
    if (!asked.has(word)) return;
    for (const next of [all[i - 1], all[i + 1]]) if (next && !asked.has(next)) out.add(next);
  });
  return out;
}

/**
 * Without a model: the question, twice so its own words weigh more, then the words of the
 * last two questions (newest first) that it does not already contain, less those it swaps.
 */
export function withRecentTurns(question: string, history: ChatMessage[]): ConversationQuery {
  const asked = new Set(segment(question, { dropStopwords: true }));
  const carried: string[] = [];
  const earlier = history.filter((m) => m.role === 'user').slice(-CARRIED_TURNS);
  for (const turn of earlier.reverse()) {
    const words = segment(turn.content, { dropStopwords: true });
    const replaced = swapped(segment(turn.content), asked);
    for (const word of words) {
      if (!asked.has(word) && !replaced.has(word) && !carried.includes(word)) carried.push(word);
    }
  }
  const kept = carried.slice(0, CARRIED_WORDS);
  if (kept.length === 0) return { text: question, carried: [] };
  const weighted = question.length <= REPEATED_CHARS ? `${question}\n${question}` : question;
  return { text: `${weighted}\n${kept.join(' ')}`.slice(0, MAX_QUERY_CHARS), carried: kept };
}

const clip = (s: string) => {
  const flat = s.replace(/\s+/g, ' ').trim();
  return flat.length > TURN_CHARS ? `${flat.slice(0, TURN_CHARS)}…` : flat;
};

/** The model's reply as a query: its first line, without quotes or a "Query:" label. */
function asQuery(reply: string): string | undefined {
  const line = reply
    .trim()
    .split('\n')[0]
    ?.replace(/^(standalone )?(search )?query\s*[:：]\s*/i, '')
    .replace(/^["'“”「『]+|["'“”」』]+$/g, '')
    .trim();
  return line && line.length <= MAX_QUERY_CHARS ? line : undefined;
}

export interface ConversationQueryInput {
  question: string;
  history: ChatMessage[];
  /** The chat model that will answer; it also writes the rewrite. */
  model: string;
}

/**
 * The query a question is searched with. A first question is searched as it is. A follow-up
 * is rewritten into a standalone query by the chat model when ONEAPI is configured (one short
 * call); without a model, or when the rewrite fails or says nothing, it is searched with the
 * words of the recent questions.
 */
export async function conversationQuery(
  deps: { chat?: ChatClient; logger: Logger },
  input: ConversationQueryInput,
): Promise<ConversationQuery> {
  const { question, history } = input;
  const turns = history.filter((m) => m.role === 'user' || m.role === 'assistant').slice(-REWRITE_TURNS);
  if (!turns.some((m) => m.role === 'user')) return { text: question, carried: [] };
  if (!deps.chat) return withRecentTurns(question, history);
  const conversation = turns.map((m) => `${m.role === 'user' ? 'User' : 'Assistant'}: ${clip(m.content)}`).join('\n');
  try {
    const reply = await deps.chat.complete(
      [
        { role: 'system', content: REWRITE_SYSTEM },
        { role: 'user', content: `Conversation:\n${conversation}\n\nFollow-up question: ${clip(question)}` },
      ],
      {
        model: input.model,
        temperature: 0,
        maxTokens: REWRITE_MAX_TOKENS,
        timeoutMs: REWRITE_TIMEOUT_MS,
        maxRetries: 0,
      },
    );
    const query = asQuery(reply);
    if (query) return { text: query, carried: [] };
    deps.logger.info({ model: input.model }, 'Follow-up rewrite came back empty; searching with the recent questions');
  } catch {
    // The chat client has logged the failure; retrieval goes on without the rewrite.
  }
  return withRecentTurns(question, history);
}
