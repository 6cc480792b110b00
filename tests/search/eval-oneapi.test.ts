import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { evaluate, loadQuestions } from '../../bench/eval/harness.ts';
import { buildEvalKb, corpusFiles, type EvalKb } from '../../bench/eval/kb.ts';
import { DEFAULT_SYSTEM, SYSTEMS } from '../../bench/eval/systems.ts';
import { type RunningMock, startMockOneApi } from '../helpers/mock-oneapi.ts';

/**
 * `npm run eval` with ONEAPI_BASE_URL set measures the gateway's models, not the built-in
 * embedder: the KB is embedded and its searches reranked through the gateway (the project's
 * mock here, whose vectors mean nothing, so only the path is checked, not the figures).
 */
describe('the evaluation through an ONEAPI gateway', () => {
  let mock: RunningMock;
  let kb: EvalKb;

  beforeAll(async () => {
    mock = await startMockOneApi();
    const settings = {
      ONEAPI_BASE_URL: mock.baseUrl,
      EMBEDDING_MODEL: 'eval-embedding',
      RERANK_MODEL: 'bge-reranker-v2-m3',
    };
    kb = await buildEvalKb(
      corpusFiles('en').filter((f) => f.fileName === 'ch05.en.html'),
      settings,
    );
  }, 120_000);
  afterAll(async () => {
    await kb?.close();
    await mock?.stop();
  });

  it('embeds the corpus and reranks its searches with the configured models', async () => {
    expect(kb.deps.embedder.model).toBe('eval-embedding');
    const embedded = mock.requests('/embeddings').length;
    expect(embedded).toBeGreaterThan(0);
    const questions = loadQuestions('en-dev')
      .filter((q) => q.doc === 'ch05.en.html')
      .slice(0, 3);
    const system = SYSTEMS.filter((s) => s.name === DEFAULT_SYSTEM);
    const [result] = await evaluate(kb, system, questions);
    expect(result?.outcomes).toHaveLength(3);
    expect(result?.outcomes.every((o) => o.top !== null)).toBe(true);
    expect(mock.requests('/rerank').length).toBe(3);
    expect(mock.requests('/embeddings').length).toBeGreaterThan(embedded);
  });
});
