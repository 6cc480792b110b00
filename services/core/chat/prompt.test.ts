import { describe, expect, it } from 'vitest';
import type { SearchHit } from '../search/types.ts';
import { extractiveAnswer } from './extractive.ts';
import { buildPrompt } from './prompt.ts';
import { citationsOf } from './retrieve.ts';

const hits: SearchHit[] = [
  {
    document: { id: 'd1', fileName: 'cats.md', summary: 'A guide to cats.', score: 0.9, metadata: {} },
    parent: { id: 'p1', content: '## Behaviour\nCats purr and nap.', score: 0.8 },
    children: [
      { id: 'c1', content: 'Cats purr when they are content.', score: 0.7 },
      { id: 'c2', content: 'Cats nap\nfor sixteen hours a day.', score: 0.6 },
    ],
  },
];

describe('chat prompt', () => {
  it('carries the summary, the parent section and the numbered passages', () => {
    const citations = citationsOf(hits);
    const messages = buildPrompt({ question: 'Why do cats purr?', language: 'en', hits, citations });
    const user = messages.at(-1)?.content ?? '';
    expect(messages[0]?.content).toContain('Answer in English');
    expect(user).toContain('Summary: A guide to cats.');
    expect(user).toContain('Section: ## Behaviour Cats purr and nap.');
    expect(user).toContain('[1] Cats purr when they are content.');
    expect(user).toContain('[2] Cats nap for sixteen hours a day.');
    expect(user).toContain('Question: Why do cats purr?');
    expect(citations.map((c) => [c.index, c.childId, c.parentId, c.fileName])).toEqual([
      [1, 'c1', 'p1', 'cats.md'],
      [2, 'c2', 'p1', 'cats.md'],
    ]);
  });

  it('asks for Chinese answers to Chinese questions and keeps recent history', () => {
    const history = Array.from({ length: 10 }, (_, i) => ({ role: 'user' as const, content: `q${i}` }));
    const messages = buildPrompt({ question: '猫为什么打呼噜？', language: 'zh', hits, citations: [], history });
    expect(messages[0]?.content).toContain('简体中文');
    expect(messages).toHaveLength(1 + 6 + 1);
    expect(messages.at(-1)?.content).toContain('没有找到相关段落');
  });

  it('quotes the best passages when no model is configured', () => {
    const text = extractiveAnswer('How long do cats nap?', citationsOf(hits), 'en');
    expect(text).toContain('> Cats nap for sixteen hours a day. [2]');
    expect(text).toContain('cats.md');
    expect(extractiveAnswer('猫睡多久？', [], 'zh')).toContain('没有找到');
  });
});
