import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Citation } from '../../services/core/chat/types.ts';
import { createTestDeps, type TestDeps } from '../helpers/deps.ts';
import { type RunningMock, startMockOneApi } from '../helpers/mock-oneapi.ts';
import { startGateway } from './live.ts';
import { type SeedDocument, seedDocument } from './seed.ts';

const HOUSING: SeedDocument = {
  fileName: 'housing-subsidy.md',
  summary: 'Housing subsidy for employees in first-tier and second-tier cities: monthly amounts and how to apply.',
  sections: [
    {
      heading: 'First-tier cities',
      passages: [
        'In first-tier cities (Beijing, Shanghai, Guangzhou, Shenzhen) the housing subsidy is 3,000 yuan a month.',
        'Employees in first-tier cities who live in a company flat receive no housing subsidy.',
      ],
    },
    {
      heading: 'Second-tier cities',
      passages: [
        'In second-tier cities such as Chengdu, Wuhan and Hangzhou the housing subsidy is 1,800 yuan a month.',
        'The subsidy in second-tier cities is paid with the salary from the first full month of work.',
      ],
    },
    { heading: 'Applying', passages: ['Apply for the housing subsidy in the HR portal with your rental contract.'] },
  ],
};

const TRAVEL: SeedDocument = {
  fileName: 'business-travel.md',
  summary: 'Business travel to second-tier cities: trains, hotels and the daily allowance in second-tier cities.',
  sections: [
    {
      heading: 'Second-tier cities',
      passages: [
        'Hotel rooms in second-tier cities are reimbursed up to 450 yuan a night.',
        'Trips to second-tier cities get a daily allowance of 100 yuan.',
      ],
    },
  ],
};

const HOUSING_ZH: SeedDocument = {
  fileName: '住房补贴.md',
  summary: '员工住房补贴政策：各城市的住房补贴金额和申请方式。',
  sections: [
    { heading: '一线城市', passages: ['在一线城市（北京、上海、广州、深圳），住房补贴为每月 3000 元。'] },
    { heading: '二线城市', passages: ['在成都、武汉、杭州等二线城市，住房补贴为每月 1800 元。'] },
  ],
};

const TRAVEL_ZH: SeedDocument = {
  fileName: '差旅.md',
  summary: '去二线城市出差的差旅规定：火车、酒店和每日费用标准。',
  sections: [
    {
      heading: '二线城市',
      passages: ['在二线城市出差，酒店每晚最多报销 450 元。', '去二线城市出差，每天有 100 元的补助。'],
    },
  ],
};

const SECOND_TIER = HOUSING.sections[1]?.passages[0] ?? '';
const SECOND_TIER_ZH = HOUSING_ZH.sections[1]?.passages[0] ?? '';

type Gateway = Awaited<ReturnType<typeof startGateway>>;

/** A user with an English and a Chinese KB, each holding the housing policy and travel rules. */
async function world(deps: TestDeps, gw: Gateway, email: string) {
  const user = await gw.register(email);
  const kb = async (title: string, docs: SeedDocument[]) => {
    const id = (await gw.call('POST', '/api/kbs', { token: user.token, body: { title } })).json.kb.id as string;
    for (const doc of docs) await seedDocument(deps, user.userId, id, doc);
    return id;
  };
  return { user, en: await kb('HR', [HOUSING, TRAVEL]), zh: await kb('人事', [HOUSING_ZH, TRAVEL_ZH]) };
}

/** Asks the questions in turn in one new session; the answer to the last one. */
async function converse(gw: Gateway, token: string, kbId: string, questions: string[]) {
  const session = (await gw.call('POST', '/api/chat/sessions', { token, body: { kbId } })).json.session.id;
  let last: { content: string; citations: Citation[] } = { content: '', citations: [] };
  for (const content of questions) {
    const r = await gw.call('POST', `/api/chat/sessions/${session}/messages`, { token, body: { content } });
    expect(r.status, r.text).toBe(200);
    last = { content: r.json.message.content, citations: r.json.citations };
  }
  return last;
}

const apiKeyFor = async (gw: Gateway, token: string) =>
  (await gw.call('POST', '/api/api-keys', { token, body: { name: 'client' } })).json.key as string;

describe('follow-up questions without ONEAPI', () => {
  let deps: TestDeps;
  let gw: Gateway;
  let w: Awaited<ReturnType<typeof world>>;
  beforeAll(async () => {
    deps = await createTestDeps();
    gw = await startGateway(deps);
    w = await world(deps, gw, 'follow-up@example.com');
  });
  afterAll(async () => {
    await gw.stop();
    await deps.cleanup();
  });

  it('alone, "and for second-tier cities?" finds the travel rules', async () => {
    const alone = await converse(gw, w.user.token, w.en, ['And for second-tier cities?']);
    expect(alone.citations[0]?.fileName).toBe('business-travel.md');
    const zh = await converse(gw, w.user.token, w.zh, ['那二线城市呢？']);
    expect(zh.citations[0]?.fileName).toBe('差旅.md');
  });

  it('in a conversation about the housing subsidy, it retrieves and quotes the second-tier subsidy', async () => {
    const answer = await converse(gw, w.user.token, w.en, [
      'What is the housing subsidy in first-tier cities?',
      'And for second-tier cities?',
    ]);
    expect(answer.citations.map((c) => c.quote)).toContain(SECOND_TIER);
    // The housing subsidy's second-tier passages come first; the fifth citation may be the travel
    // rules' second-tier passage, which the drill-down keeps beside the housing document's weakest.
    expect(answer.citations.slice(0, 2).map((c) => c.quote)).toEqual(HOUSING.sections[1]?.passages);
    expect(answer.citations.filter((c) => c.fileName === 'housing-subsidy.md').length).toBeGreaterThanOrEqual(4);
    expect(answer.content.split('\n').find((l) => l.startsWith('> '))).toContain('1,800 yuan a month');
  });

  it('understands 那二线城市呢？ after a question about the housing subsidy', async () => {
    const answer = await converse(gw, w.user.token, w.zh, ['一线城市的住房补贴是多少？', '那二线城市呢？']);
    expect(answer.citations[0]).toMatchObject({ fileName: '住房补贴.md', quote: SECOND_TIER_ZH });
    expect(answer.content).toContain(`> ${SECOND_TIER_ZH} [${answer.citations[0]?.index}]`);
  });

  it('reads the message history of /v1/chat/completions the same way', async () => {
    const key = await apiKeyFor(gw, w.user.token);
    const r = await gw.call('POST', '/v1/chat/completions', {
      token: key,
      body: {
        model: `kb:${w.en}`,
        messages: [
          { role: 'user', content: 'What is the housing subsidy in first-tier cities?' },
          { role: 'assistant', content: 'It is 3,000 yuan a month [1].' },
          { role: 'user', content: 'And for second-tier cities?' },
        ],
      },
    });
    expect(r.status, r.text).toBe(200);
    expect(r.json.citations.map((c: Citation) => c.quote)).toContain(SECOND_TIER);
    expect(r.json.choices[0].message.content).toContain('1,800 yuan a month');
  });
});

describe('follow-up questions with ONEAPI', () => {
  const KEY = 'sk-follow-up-key-0001';
  let mock: RunningMock;
  let deps: TestDeps;
  let gw: Gateway;
  let w: Awaited<ReturnType<typeof world>>;
  type ChatBody = { model: string; max_tokens?: number; messages: Array<{ role: string; content: string }> };
  const chatCalls = () => mock.requests('/chat/completions').map((r) => r.body as ChatBody);

  beforeAll(async () => {
    mock = await startMockOneApi({ key: KEY, dimension: 48 });
    deps = await createTestDeps({ ONEAPI_BASE_URL: mock.url, ONEAPI_KEY: KEY });
    gw = await startGateway(deps);
    w = await world(deps, gw, 'follow-up-llm@example.com');
  });
  afterAll(async () => {
    await gw.stop();
    await deps.cleanup();
    await mock.stop();
  });
  beforeEach(() => mock.control({ reset: true }));

  it('asks no rewrite for a first question', async () => {
    await converse(gw, w.user.token, w.en, ['What is the housing subsidy in first-tier cities?']);
    expect(chatCalls()).toHaveLength(1);
  });

  it("searches with the model's standalone rewrite of a follow-up", async () => {
    const session = (await gw.call('POST', '/api/chat/sessions', { token: w.user.token, body: { kbId: w.en } })).json
      .session.id;
    const say = (content: string) =>
      gw.call('POST', `/api/chat/sessions/${session}/messages`, { token: w.user.token, body: { content } });
    await say('What is the housing subsidy in first-tier cities?');
    await mock.control({ reset: true, replies: ['housing subsidy in second-tier cities'] });
    const r = await say('And for second-tier cities?');
    expect(r.status, r.text).toBe(200);

    const [rewrite, answer] = chatCalls();
    expect(chatCalls()).toHaveLength(2);
    expect(rewrite?.max_tokens).toBeLessThanOrEqual(100);
    const asked = rewrite?.messages.at(-1)?.content ?? '';
    expect(asked).toContain('User: What is the housing subsidy in first-tier cities?');
    expect(asked).toContain('Follow-up question: And for second-tier cities?');
    // The answer is asked with the retrieved second-tier passage first, and the user's own words.
    expect(answer?.messages.at(-1)?.content).toContain(`[1] ${SECOND_TIER}`);
    expect(answer?.messages.at(-1)?.content).toContain('Question: And for second-tier cities?');
    expect(r.json.citations[0]).toMatchObject({ fileName: 'housing-subsidy.md', quote: SECOND_TIER });
  });

  it('falls back to the recent questions when the rewrite fails, and still answers', async () => {
    const key = await apiKeyFor(gw, w.user.token);
    await mock.control({ failNext: 1, failStatus: 500, failPath: '/chat/completions' });
    const r = await gw.call('POST', '/v1/chat/completions', {
      token: key,
      body: {
        model: `kb:${w.zh}`,
        messages: [
          { role: 'user', content: '一线城市的住房补贴是多少？' },
          { role: 'assistant', content: '每月 3000 元 [1]。' },
          { role: 'user', content: '那二线城市呢？' },
        ],
      },
    });
    expect(r.status, r.text).toBe(200);
    // One failed rewrite (not retried), then the answer.
    expect(chatCalls()).toHaveLength(2);
    expect(r.json.citations[0]).toMatchObject({ fileName: '住房补贴.md', quote: SECOND_TIER_ZH });
    expect(r.json.choices[0].message.content).toContain(SECOND_TIER_ZH);
  });
});
