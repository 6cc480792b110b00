import { createHash } from 'node:crypto';
import type { ChunkLayer } from '../db/schema.ts';

/**
 * A chunk id derived from its place in a document (UUID v5 layout over SHA-1), so a retry
 * or a reprocess writes the same ids and replaces rows instead of duplicating them.
 */
export function chunkId(documentId: string, layer: ChunkLayer, position: number): string {
  const hash = createHash('sha1').update(`${documentId}:${layer}:${position}`).digest();
  hash[6] = ((hash[6] ?? 0) & 0x0f) | 0x50;
  hash[8] = ((hash[8] ?? 0) & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}
