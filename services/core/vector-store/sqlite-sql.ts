import { createHash } from 'node:crypto';
import type { VectorFilter } from './index.ts';

/** A table name per model and dimension: readable slug plus a short hash so no two models collide. */
export function tableName(model: string, dimension: number): string {
  const slug = model
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .slice(0, 40);
  const hash = createHash('sha256').update(`${model}\u0000${dimension}`).digest('hex').slice(0, 8);
  return `vec_${slug}_${dimension}_${hash}`;
}

/** Unit-length copy; the store ranks by L2 distance, which equals cosine order on unit vectors. */
export function normalize(v: Float32Array): Float32Array {
  let norm = 0;
  for (const x of v) norm += x * x;
  norm = Math.sqrt(norm);
  const out = new Float32Array(v.length);
  if (norm === 0) return out;
  for (let i = 0; i < v.length; i++) out[i] = v[i] / norm;
  return out;
}

/** Cosine similarity of two unit vectors from their L2 distance. */
export const toScore = (l2: number): number => 1 - (l2 * l2) / 2;

/** A WHERE clause over the id table for any subset of a filter. */
export function pointFilterSql(filter: Partial<VectorFilter>): { sql: string; params: string[] } {
  const where: string[] = [];
  const params: string[] = [];
  const eq = (column: string, value: string | undefined) => {
    if (value === undefined) return;
    where.push(`${column} = ?`);
    params.push(value);
  };
  const within = (column: string, values: string[] | undefined) => {
    if (values === undefined) return;
    const list = inList(column, values);
    where.push(list.sql);
    params.push(...list.params);
  };
  eq('user_id', filter.userId);
  eq('kb_id', filter.kbId);
  eq('layer', filter.layer);
  within('document_id', filter.documentIds);
  within('parent_id', filter.parentIds);
  return { sql: where.length ? where.join(' AND ') : '1', params };
}

/**
 * `column IN (...)` for any number of values: one JSON parameter read by `json_each`, so a
 * long list (a metadata filter's documents) never meets SQLite's limit on bound variables.
 * sqlite-vec takes the same form on its metadata columns.
 */
export function inList(column: string, values: string[]): { sql: string; params: string[] } {
  if (values.length === 0) return { sql: '0', params: [] };
  return { sql: `${column} IN (SELECT value FROM json_each(?))`, params: [JSON.stringify(values)] };
}
