import { describe, expect, it } from 'vitest';
import { createLogger } from '../logger.ts';
import { conversationQuery, withRecentTurns } from './follow-up.ts';

const user = (content: string) => ({ role: 'user' as const, content });
const assistant = (content: string) => ({ role: 'assistant' as const, content });

describe('a follow-up without a model', () => {
  it('carries the topic of the earlier question and drops the part the follow-up swaps', () => {
    const q = withRecentTurns('And for second-tier cities?', [
      user('What is the housing subsidy in first-tier cities?'),
      assistant('It is 3,000 yuan a month [1].'),
    ]);
    expect(q.carried).toEqual(['housing', 'subsidy']);
    expect(q.text).toBe('And for second-tier cities?\nAnd for second-tier cities?\nhousing subsidy');
  });

  it('does the same for Chinese, segmented by jieba', () => {
    const q = withRecentTurns('那二线城市呢？', [user('一线城市的住房补贴是多少？')]);
    expect(q.carried).toEqual(['住房补贴', '多少']);
  });

  it('takes the newest two questions, newest first, and at most twelve words', () => {
    const q = withRecentTurns('and backups?', [
      user('alpha'),
      user('how are redis passwords rotated'),
      user('where does postgres keep its replication slots and wal archives on disk for the standby servers'),
    ]);
    expect(q.carried[0]).toBe('postgres');
    expect(q.carried).not.toContain('alpha');
    expect(q.carried).toHaveLength(12);
  });

  it('searches a first question, or one that only repeats earlier words, as it is', () => {
    expect(withRecentTurns('What is Redis?', [])).toEqual({ text: 'What is Redis?', carried: [] });
    expect(withRecentTurns('redis cluster', [user('redis cluster')]).text).toBe('redis cluster');
  });

  it('stays within the length a search accepts', () => {
    const long = `${'word '.repeat(900)}end`;
    expect(withRecentTurns(long, [user('earlier topic here')]).text.length).toBeLessThanOrEqual(2000);
  });
});

describe('a follow-up with a model', () => {
  const logger = createLogger({ level: 'silent' });
  const history = [user('What is the housing subsidy in first-tier cities?'), assistant('3,000 yuan [1].')];
  const chatSaying = (reply: string | Error) => ({
    calls: 0,
    async complete() {
      this.calls += 1;
      if (reply instanceof Error) throw reply;
      return reply;
    },
    stream: async function* () {},
    listModels: async () => [],
    health: async () => ({ ok: true }),
  });

  it('takes the first line of the rewrite, without quotes or a label', async () => {
    const chat = chatSaying('Query: "housing subsidy in second-tier cities"\nExplanation: …');
    const q = await conversationQuery(
      { chat, logger },
      { question: 'And for second-tier cities?', history, model: 'm' },
    );
    expect(q).toEqual({ text: 'housing subsidy in second-tier cities', carried: [] });
  });

  it('asks nothing for a first question and falls back on an empty or failed rewrite', async () => {
    const quiet = chatSaying('');
    const first = await conversationQuery({ chat: quiet, logger }, { question: 'Hi?', history: [], model: 'm' });
    expect(first.text).toBe('Hi?');
    expect(quiet.calls).toBe(0);
    const input = { question: 'And for second-tier cities?', history, model: 'm' };
    expect((await conversationQuery({ chat: quiet, logger }, input)).carried).toEqual(['housing', 'subsidy']);
    const broken = chatSaying(new Error('down'));
    expect((await conversationQuery({ chat: broken, logger }, input)).carried).toEqual(['housing', 'subsidy']);
  });
});
