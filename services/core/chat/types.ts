/** Where a sentence of an answer comes from: one child passage, its parent section and document. */
export interface Citation {
  /** The `[n]` marker used in the prompt and the answer, 1-based. */
  index: number;
  documentId: string;
  parentId: string;
  childId: string;
  fileName: string;
  /** The passage text, as quoted to the model. */
  quote: string;
  score: number;
}

/** The language an answer is written in, detected from the question. */
export type AnswerLanguage = 'zh' | 'en';

/** A stored chat message as the API shows it. */
export interface StoredMessage {
  id: string;
  sessionId: string;
  role: 'user' | 'assistant' | 'system';
  content: string;
  citations: Citation[];
  model: string | null;
  createdAt: number;
}
