import { describe, expect, it } from 'vitest';
import { answeringExcerpts, headOf } from './excerpt.ts';
import { extractiveAnswer } from './extractive.ts';
import type { Citation } from './types.ts';

const citation = (index: number, quote: string): Citation => ({
  index,
  documentId: 'd',
  parentId: 'p',
  childId: `c${index}`,
  fileName: 'guide.md',
  quote,
  score: 1 / index,
});

describe('answering excerpts', () => {
  it('prefers the sentence with the rare word asked about over those repeating the common one', () => {
    const passage =
      'Backups run every night. Backups go to the bucket. The retention job deletes what is older than two weeks. Backups can be restored into an empty directory.';
    const [best] = answeringExcerpts('What is the backup retention?', [passage]);
    expect(best?.sentence).toBe('The retention job deletes what is older than two weeks.');
    expect(best?.text).toBe(
      '… Backups go to the bucket. The retention job deletes what is older than two weeks. Backups can be restored into an empty directory.',
    );
  });

  it('keeps a hard-wrapped sentence whole and quotes a matching heading with what it introduces', () => {
    const passage =
      'Rotating keys\n\nCreate the new key first,\nthen revoke the old one\nonce clients use it.\n\nAudit\n\nEvery change is logged.';
    const [best] = answeringExcerpts('rotating keys', [passage]);
    expect(best?.text).toBe('Rotating keys: Create the new key first, then revoke the old one once clients use it. …');
  });

  it('segments Chinese with jieba and joins Chinese sentences without spaces', () => {
    const passage = '绿茶用八十度的水冲泡。红茶可以用沸水。普洱茶需要通风避光存放，不要放在厨房。';
    const [best] = answeringExcerpts('普洱应该怎么存放？', [passage]);
    expect(best?.sentence).toBe('普洱茶需要通风避光存放，不要放在厨房。');
    expect(best?.text).toBe('… 红茶可以用沸水。普洱茶需要通风避光存放，不要放在厨房。');
  });

  it('leaves out passages that share no word with the question', () => {
    expect(answeringExcerpts('volcano ash', ['Cats purr.', 'Volcano ash travels far.']).map((e) => e.passage)).toEqual([
      1,
    ]);
  });

  it('cuts a passage head at a sentence end', () => {
    expect(headOf('One two three. Four five six. Seven.', 20)).toBe('One two three. …');
    expect(headOf('x'.repeat(30), 10)).toBe(`${'x'.repeat(10)}…`);
  });
});

describe('extractive answer', () => {
  it('quotes the answering sentences of several passages once each, with their markers', () => {
    const citations = [
      citation(1, 'The worker retries a job five times. Each retry waits twice as long as the one before.'),
      citation(2, 'Failed jobs are kept for a week. Each retry waits twice as long as the one before.'),
      citation(3, 'The console lists failed jobs with their error.'),
    ];
    const text = extractiveAnswer('How long does each retry wait?', citations, 'en');
    expect(text).toContain(
      '> The worker retries a job five times. Each retry waits twice as long as the one before. [1]',
    );
    expect(text).not.toContain('[2]');
    expect(text.match(/^> — guide\.md$/gm)).toHaveLength(1);
  });

  it('quotes the head of the best passages when no sentence shares a word with the question', () => {
    const text = extractiveAnswer('?', [citation(1, 'First sentence. Second one.')], 'en');
    expect(text).toContain('> First sentence. Second one. [1]');
  });
});
