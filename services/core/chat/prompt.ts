import type { ChatMessage } from '../llm/index.ts';
import type { SearchHit } from '../search/types.ts';
import type { AnswerLanguage, Citation } from './types.ts';

const PARENT_CHARS = 1500;
const SUMMARY_CHARS = 800;
const PASSAGE_CHARS = 1200;
const HISTORY_MESSAGES = 6;

const oneLine = (s: string, max: number) => {
  const flat = s.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max)}…` : flat;
};

const SYSTEM: Record<AnswerLanguage, string> = {
  en:
    'You answer questions from the user’s knowledge base. Use only the numbered passages in the context; ' +
    'the document summary and section are there to help you understand them. Cite the passages you use ' +
    'inline as [n]. If the passages do not contain the answer, say so plainly. Answer in English.',
  zh:
    '你根据用户的知识库回答问题。只使用上下文中编号的段落；文档摘要和所在章节用于帮助理解。' +
    '在回答中用 [n] 标注引用的段落。如果段落中没有答案，请直接说明。请用简体中文回答。',
};

/** The context block: per document its summary, the parent section, then the numbered passages. */
export function contextBlock(hits: SearchHit[], citations: Citation[]): string {
  const blocks: string[] = [];
  for (const hit of hits) {
    const passages = citations.filter((c) => c.documentId === hit.document.id && c.parentId === hit.parent.id);
    if (passages.length === 0) continue;
    blocks.push(
      [
        `Document: ${hit.document.fileName}`,
        `Summary: ${oneLine(hit.document.summary, SUMMARY_CHARS)}`,
        `Section: ${oneLine(hit.parent.content, PARENT_CHARS)}`,
        'Passages:',
        ...passages.map((c) => `[${c.index}] ${oneLine(c.quote, PASSAGE_CHARS)}`),
      ].join('\n'),
    );
  }
  return blocks.join('\n\n');
}

export interface PromptInput {
  question: string;
  language: AnswerLanguage;
  hits: SearchHit[];
  citations: Citation[];
  /** Earlier turns, oldest first; only the last few are kept. */
  history?: ChatMessage[];
  /** Extra instructions from an API client's own system message. */
  instructions?: string;
}

/** The messages sent to the chat model for one question. */
export function buildPrompt(input: PromptInput): ChatMessage[] {
  const system = input.instructions ? `${SYSTEM[input.language]}\n\n${input.instructions}` : SYSTEM[input.language];
  const context = contextBlock(input.hits, input.citations);
  const none = input.language === 'zh' ? '（知识库中没有找到相关段落）' : '(no relevant passages were found)';
  const history = (input.history ?? []).filter((m) => m.role !== 'system').slice(-HISTORY_MESSAGES);
  return [
    { role: 'system', content: system },
    ...history,
    { role: 'user', content: `Context:\n${context || none}\n\nQuestion: ${input.question}` },
  ];
}
