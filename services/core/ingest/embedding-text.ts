import type { ChunkRow } from '../db/chunk-index.ts';

/**
 * The text a chunk is embedded from: a section or passage with its heading path in front
 * (a passage rarely repeats what its section is about), the summary as it is.
 */
export function embeddingText(chunk: Pick<ChunkRow, 'layer' | 'heading' | 'content'>): string {
  return chunk.heading && chunk.layer !== 'document' ? `${chunk.heading}\n${chunk.content}` : chunk.content;
}
