/** The file types Context OS ingests. */
export const fileKinds = ['text', 'markdown', 'html', 'pdf', 'docx'] as const;
export type FileKind = (typeof fileKinds)[number];

export const mimeTypes: Record<FileKind, string> = {
  text: 'text/plain',
  markdown: 'text/markdown',
  html: 'text/html',
  pdf: 'application/pdf',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
};

/** One paragraph or heading of a parsed document, in reading order. */
export interface Block {
  text: string;
  /** Heading level (1 = top) when the block is a heading. */
  heading?: number;
  /** 1-based page number, for paginated formats. */
  page?: number;
}

export interface ParsedDocument {
  title: string | null;
  blocks: Block[];
}
