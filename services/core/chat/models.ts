import type { Deps } from '../deps.ts';
import { AppError } from '../errors.ts';

/** The name answers carry when no language model is configured. */
export const EXTRACTIVE_MODEL = 'extractive';

/**
 * Refuses a model ONEAPI does not list (400). Without ONEAPI any choice is kept as is: it
 * takes effect once a gateway is configured, and answers are extractive meanwhile.
 */
export async function assertKnownModel(deps: Pick<Deps, 'chat'>, model: string): Promise<void> {
  if (!deps.chat) return;
  const models = await deps.chat.listModels();
  if (!models.includes(model)) {
    const shown = models.slice(0, 20).join(', ');
    throw new AppError('bad_request', `Unknown model "${model}"; available: ${shown || 'none'}`, { models });
  }
}

/** The chat model for an answer: the session's choice, else the KB's, else CHAT_MODEL. */
export function resolveModel(
  deps: Pick<Deps, 'config'>,
  kb: { chatModel: string | null },
  session?: { model: string | null },
): string {
  return session?.model ?? kb.chatModel ?? deps.config.CHAT_MODEL;
}
