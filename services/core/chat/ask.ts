import type { Principal } from '../access/index.ts';
import type { Deps } from '../deps.ts';
import { type PreparedAnswer, prepareAnswer } from './answer.ts';
import { getSession, listMessages, storeExchange } from './sessions.ts';
import type { Citation, StoredMessage } from './types.ts';

/** A question in a session, retrieved and ready to answer; `save` stores question and answer. */
export interface SessionTurn {
  prepared: PreparedAnswer;
  save(answer: string): { message: StoredMessage; citations: Citation[] };
}

/** Prepares the answer to `content` in the user's session, with the session's recent turns as history. */
export async function startTurn(deps: Deps, who: Principal, sessionId: string, content: string): Promise<SessionTurn> {
  const session = getSession(deps.db, who, sessionId);
  const askedAt = Date.now();
  const history = listMessages(deps.db, who, sessionId)
    .filter((m) => m.role === 'user' || m.role === 'assistant')
    .map((m) => ({ role: m.role, content: m.content }));
  const prepared = await prepareAnswer(deps, who, {
    kbId: session.kbId,
    question: content,
    history,
    model: session.model,
  });
  return {
    prepared,
    save(answer) {
      const { answer: message } = storeExchange(
        deps.db,
        session,
        { content, at: askedAt },
        { content: answer, citations: prepared.citations, model: prepared.model },
      );
      return { message, citations: prepared.citations };
    },
  };
}

/** Asks and answers in one call (no streaming). */
export async function ask(deps: Deps, who: Principal, sessionId: string, content: string, signal?: AbortSignal) {
  const turn = await startTurn(deps, who, sessionId, content);
  return turn.save(await turn.prepared.complete(signal));
}
