/** The file types Context OS ingests. */
export const fileKinds = [
  'text',
  'markdown',
  'html',
  'pdf',
  'docx',
  'xlsx',
  'csv',
  'pptx',
  'epub',
  'png',
  'jpeg',
  'webp',
  'tiff',
] as const;
export type FileKind = (typeof fileKinds)[number];

export const mimeTypes: Record<FileKind, string> = {
  text: 'text/plain',
  markdown: 'text/markdown',
  html: 'text/html',
  pdf: 'application/pdf',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  csv: 'text/csv',
  pptx: 'application/vnd.openxmlformats-officedocument.presentationml.presentation',
  epub: 'application/epub+zip',
  png: 'image/png',
  jpeg: 'image/jpeg',
  webp: 'image/webp',
  tiff: 'image/tiff',
};

/** The kind of a stored document from its MIME type. */
export function kindOfMime(mime: string): FileKind | undefined {
  return fileKinds.find((kind) => mimeTypes[kind] === mime);
}

/** One paragraph or heading of a parsed document, in reading order. */
export interface Block {
  text: string;
  /** Heading level (1 = top) when the block is a heading. */
  heading?: number;
  /** 1-based page number, for paginated formats (slide number for slides). */
  page?: number;
  /**
   * A record, such as a spreadsheet row with its column headers: it becomes one child chunk
   * exactly as it is, never split nor merged with its neighbours.
   */
  record?: true;
}

export interface ParsedDocument {
  title: string | null;
  blocks: Block[];
}

/** What a parse may need besides the bytes. */
export interface ParseOptions {
  /** Tesseract languages for images and scanned pages, e.g. `chi_sim+eng` (the default). */
  ocrLanguage?: string;
  /** Keep only the main content of an HTML page (readability): for imported web pages. */
  mainContent?: boolean;
  /** Called as OCR advances: `done` of `total` pages read. */
  onOcrProgress?: (done: number, total: number) => void;
}
