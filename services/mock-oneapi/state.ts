/** One request the mock received, kept so tests can assert batching and headers. */
export interface RecordedRequest {
  method: string;
  path: string;
  authorization: string | undefined;
  body: unknown;
  at: number;
}

/** What the mock serves and which failures it injects; tests change it through `/__control`. */
export interface MockState {
  /** When set, `/v1/*` requires `Authorization: Bearer <key>`. */
  key: string | undefined;
  models: string[];
  /** Models `/v1/rerank` knows; any other is refused as an unknown model. */
  rerankModels: string[];
  dimension: number;
  requests: RecordedRequest[];
  /** The next N `/v1/*` requests fail with `failStatus`. */
  failNext: number;
  failStatus: number;
  /** When set, only requests whose path ends with it count towards `failNext`. */
  failPath: string | undefined;
  /** Delay before answering each `/v1/*` request. */
  delayMs: number;
  /** Every `/v1/*` request answers 503. */
  down: boolean;
  /** False: `/v1/rerank` answers 404, as a gateway without the endpoint does. */
  rerank: boolean;
  /** Scripted answers: each chat completion takes the first one left, then answers as usual. */
  replies: string[];
  /** Pause between streamed chunks. */
  chunkDelayMs: number;
  /** When set, streamed answers are cut off after this many chunks, without a finish. */
  breakStreamAfter: number | undefined;
}

export interface MockOptions {
  key?: string;
  models?: string[];
  rerankModels?: string[];
  dimension?: number;
}

export const DEFAULT_MODELS = ['gpt-4o-mini', 'qwen-plus', 'deepseek-chat', 'text-embedding-3-small'];
export const DEFAULT_RERANK_MODELS = ['bge-reranker-v2-m3'];

/** No injected failures and no recorded requests: the state at start and after a reset. */
function cleanSlate(): Omit<MockState, 'key' | 'models' | 'rerankModels' | 'dimension'> {
  return {
    requests: [],
    failNext: 0,
    failStatus: 500,
    failPath: undefined,
    delayMs: 0,
    down: false,
    rerank: true,
    replies: [],
    chunkDelayMs: 2,
    breakStreamAfter: undefined,
  };
}

export function createMockState(opts: MockOptions = {}): MockState {
  return {
    key: opts.key,
    models: opts.models ?? DEFAULT_MODELS,
    rerankModels: opts.rerankModels ?? DEFAULT_RERANK_MODELS,
    dimension: opts.dimension ?? 64,
    ...cleanSlate(),
  };
}

/** The control body `POST /__control` accepts. */
export interface ControlInput {
  failNext?: number;
  failStatus?: number;
  failPath?: string;
  delayMs?: number;
  down?: boolean;
  rerank?: boolean;
  replies?: string[];
  chunkDelayMs?: number;
  breakStreamAfter?: number | null;
  reset?: boolean;
}

export function applyControl(state: MockState, input: ControlInput): void {
  if (input.reset) Object.assign(state, cleanSlate());
  if (typeof input.failNext === 'number') state.failNext = input.failNext;
  if (typeof input.failStatus === 'number') state.failStatus = input.failStatus;
  if (typeof input.failPath === 'string') state.failPath = input.failPath || undefined;
  if (typeof input.delayMs === 'number') state.delayMs = input.delayMs;
  if (typeof input.down === 'boolean') state.down = input.down;
  if (typeof input.rerank === 'boolean') state.rerank = input.rerank;
  if (Array.isArray(input.replies)) state.replies = input.replies.filter((r) => typeof r === 'string');
  if (typeof input.chunkDelayMs === 'number') state.chunkDelayMs = input.chunkDelayMs;
  if (input.breakStreamAfter !== undefined) state.breakStreamAfter = input.breakStreamAfter ?? undefined;
}
