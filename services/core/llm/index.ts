export interface ChatMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

export interface ChatOptions {
  model: string;
  temperature?: number;
  maxTokens?: number;
  signal?: AbortSignal;
}

/** A chat model reached through ONEAPI (OpenAI-compatible). */
export interface ChatClient {
  complete(messages: ChatMessage[], opts: ChatOptions): Promise<string>;
  /** Yields content deltas as they arrive. */
  stream(messages: ChatMessage[], opts: ChatOptions): AsyncIterable<string>;
  /** Model ids the gateway offers (cached). */
  listModels(): Promise<string[]>;
  health(): Promise<{ ok: boolean; detail?: string }>;
}
