import { describe, expect, it } from 'vitest';
import type { Citation } from '../../core/chat/types.ts';
import { AnswerText, toBlocks } from './answer-text.tsx';

const citation: Citation = {
  index: 1,
  documentId: 'doc-1',
  parentId: 'p-1',
  childId: 'c-1',
  fileName: 'handbook.md',
  quote: 'Releases ship every Tuesday.',
  score: 0.9,
};

describe('answer text', () => {
  it('splits paragraphs, quotes and lists', () => {
    const text =
      'Here is what I found:\n\n> Releases ship every Tuesday. [1]\n> — handbook.md\n\n- first\n- second\n\n1. one\n2. two';
    expect(toBlocks(text)).toEqual([
      { kind: 'p', lines: ['Here is what I found:'] },
      { kind: 'quote', lines: ['Releases ship every Tuesday. [1]', '— handbook.md'] },
      { kind: 'ul', lines: ['first', 'second'] },
      { kind: 'ol', lines: ['one', 'two'] },
    ]);
  });

  it('links known citation markers, leaves unknown ones and escapes the text', async () => {
    const html = await AnswerText({ content: 'Tuesday [1], maybe [7] <b>x</b>', citations: [citation] }).toString();
    expect(html).toContain('<a href="/documents/doc-1?passage=c-1#chunk-c-1" class="cite" title="handbook.md">[1]</a>');
    expect(html).toContain('[7]');
    expect(html).not.toContain('[7]</a>');
    expect(html).toContain('&lt;b&gt;x&lt;/b&gt;');
  });
});
