import type { Citation } from '../../core/chat/types.ts';

/** The link to the cited passage, highlighted on the document page. */
export const citationHref = (c: Pick<Citation, 'documentId' | 'childId'>) =>
  `/documents/${c.documentId}?passage=${encodeURIComponent(c.childId)}#chunk-${c.childId}`;

type Block = { kind: 'p' | 'quote' | 'ul' | 'ol'; lines: string[] };

const BULLET = /^\s*[-*•]\s+/;
const NUMBERED = /^\s*\d+[.)]\s+/;

/** Splits answer text into paragraphs, quotes and lists: the little Markdown answers use. */
export function toBlocks(text: string): Block[] {
  const blocks: Block[] = [];
  for (const line of text.replace(/\r\n/g, '\n').split('\n')) {
    if (line.trim() === '') {
      blocks.push({ kind: 'p', lines: [] });
      continue;
    }
    const kind: Block['kind'] = line.startsWith('>')
      ? 'quote'
      : BULLET.test(line)
        ? 'ul'
        : NUMBERED.test(line)
          ? 'ol'
          : 'p';
    const content = line.replace(/^>\s?/, '').replace(BULLET, '').replace(NUMBERED, '');
    const last = blocks.at(-1);
    if (last && last.kind === kind && (kind !== 'p' || last.lines.length > 0)) last.lines.push(content);
    else blocks.push({ kind, lines: [content] });
  }
  return blocks.filter((b) => b.lines.length > 0);
}

/** A line with its `[n]` markers turned into links to the cited passages. */
function Inline({ text, byIndex }: { text: string; byIndex: Map<number, Citation> }) {
  return (
    <>
      {text.split(/(\[\d+\])/).map((part) => {
        const n = /^\[(\d+)\]$/.exec(part);
        const cited = n ? byIndex.get(Number(n[1])) : undefined;
        return cited ? (
          <a href={citationHref(cited)} class="cite" title={cited.fileName}>
            {part}
          </a>
        ) : (
          part
        );
      })}
    </>
  );
}

/** Answer text as paragraphs, quotes and lists, with clickable citation markers. */
export function AnswerText({ content, citations }: { content: string; citations: Citation[] }) {
  const byIndex = new Map(citations.map((c) => [c.index, c]));
  const lines = (b: Block) => b.lines.map((l, i) => [i > 0 && <br />, <Inline text={l} byIndex={byIndex} />]);
  return (
    <div class="answer">
      {toBlocks(content).map((b) => {
        if (b.kind === 'quote') return <blockquote>{lines(b)}</blockquote>;
        if (b.kind === 'p') return <p>{lines(b)}</p>;
        const items = b.lines.map((l) => (
          <li>
            <Inline text={l} byIndex={byIndex} />
          </li>
        ));
        return b.kind === 'ul' ? <ul>{items}</ul> : <ol>{items}</ol>;
      })}
    </div>
  );
}
