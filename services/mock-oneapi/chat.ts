export interface MockChatMessage {
  role: string;
  content: string;
}

/**
 * The mock's deterministic answer: it quotes the first numbered passage (`[1] ...`) found in
 * the prompt, so a test can check that retrieval reached the model; without passages it
 * echoes the start of the last user message.
 */
export function mockAnswer(model: string, messages: MockChatMessage[]): string {
  const all = messages.map((m) => m.content).join('\n');
  const passage = /^\[1\][^\n]*(?:\n(?!\[\d+\])[^\n]+)*/m.exec(all)?.[0];
  if (passage) return `Mock answer from ${model}. According to [1]: "${passage.slice(3).trim().slice(0, 300)}"`;
  const lastUser = [...messages].reverse().find((m) => m.role === 'user')?.content ?? '';
  return `Mock answer from ${model}: ${lastUser.trim().slice(0, 300)}`;
}

/** Splits an answer into small pieces, as a streaming model would send them. */
export function toDeltas(answer: string): string[] {
  return answer.match(/\S+\s*|\s+/g) ?? [answer];
}

/** Content of a message whatever shape the client sent (string or content parts). */
export function textOf(content: unknown): string {
  if (typeof content === 'string') return content;
  if (Array.isArray(content)) {
    return content
      .map((part) => (part && typeof part === 'object' && 'text' in part ? String(part.text) : ''))
      .join('');
  }
  return '';
}
