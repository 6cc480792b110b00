export interface ChatMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

export interface ChatOptions {
  model: string;
  temperature?: number;
  maxTokens?: number;
  signal?: AbortSignal;
  /** Per-attempt timeout and retries for this call, in place of ONEAPI_TIMEOUT_MS and ONEAPI_MAX_RETRIES. */
  timeoutMs?: number;
  maxRetries?: number;
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
