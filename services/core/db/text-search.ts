import { EXACT_MARK, ftsOr, stemOfExact, rarity as termRarity } from '../text/tokenize.ts';
import { ftsTable, termStatistics } from './chunk-index.ts';
import type { Db } from './index.ts';
import type { ChunkLayer } from './schema.ts';

/** A full-text match: the chunk, where it sits, and its BM25 relevance (higher is better). */
export interface TextHit {
  id: string;
  documentId: string;
  parentId: string | null;
  score: number;
}

export interface TextQuery {
  kbId: string;
  layer: ChunkLayer;
  /** The query's words, from `planWords()`. */
  words: WordPlan;
  documentIds?: string[];
  parentIds?: string[];
  limit: number;
  /** BM25 weight of the heading words against the body's 1; 0 ranks by the body alone. */
  headingWeight: number;
  /** A bonus for query words that stand close together in the body (`bestWindow`); none when absent. */
  proximity?: Proximity;
  /** The KB's share of all passages (`passageCounts()`); a KB holding most of them is searched without its token. */
  kbShare?: number;
}

/** How long a stretch of a passage the query words are scored in (`window` words), and what the best one adds. */
export interface Proximity {
  window: number;
  /** The bonus in units of the best BM25 score of the search, for the rows' best window. */
  weight: number;
}

const quoteToken = (prefix: string, id: string) => `"${prefix}${id.toLowerCase().replace(/[^a-z0-9]/g, '')}"`;

/**
 * Past this many ids a narrowing is a plain column test instead of scope tokens: FTS5's time
 * grows with the square of an OR list (5,000 document tokens took 6 s where the column test
 * over the KB's matches took 70 ms), while a few tokens are the fastest way in.
 */
const TOKEN_LIMIT = 200;

const byTokens = (ids: string[] | undefined): ids is string[] => ids !== undefined && ids.length <= TOKEN_LIMIT;

/** A word is common when more passages than both of these hold it. */
export interface CommonWords {
  /** This share of the passage layer's rows... */
  share: number;
  /** ...and this many rows. */
  minRows: number;
  /**
   * The most of the KB's passages the choosing words may hold together (from their document
   * frequencies and the KB's share of the passages): past it the most frequent of them stop
   * choosing too, as common words do, until the rest fit. None when absent.
   */
  rowBudget?: number;
}

/**
 * A common word stops choosing which rows are scored: the rarer words choose them, and the
 * common word still adds its BM25 share to those that hold it. FTS5 scores every row it matches,
 * so one everyday word of a question ("件", "file") made BM25 read a quarter of a 100k-passage KB
 * (24k rows; child layer p95 38.6 ms, 19.4 with this) while the top 10 stayed the same for all
 * 200 of the benchmark's queries. On `npm run eval` with no floor, a share of 10% moved at most one
 * answer@5 of a set, 6% between -4 and +1, a fixed 12 rows (2-3% of those KBs) cost 4-11.
 *
 * The row budget bounds what the rest may cost: 8,000 rows, about 8 ms of BM25 scoring. On the
 * benchmark's 100k passages it changed the plan of 35 of 200 queries, their top 10 stayed the
 * same (2,000 of 2,000 passages), and the drill-down's p95 went from 28.5 to 21.7 ms. `npm run
 * eval -- --haystack` (the corpus among 20k passages of man pages) gave the same answers@5 for every
 * set at a budget of 4,000; at 1,000 and 2,000 (5-10% of those KBs) en-dev lost one.
 */
export const COMMON_WORDS: CommonWords = { share: 0.1, minRows: 2000, rowBudget: 8000 };

/** A query's words, and which of them choose the rows a search across the KB scores. */
export interface WordPlan {
  /** Every word, in `queryTerms()` order. */
  terms: string[];
  /** The rarer words: a row needs one of them. All the words when none is common. */
  choosing: string[];
  /** The common words: they add to a chosen row's score and choose nothing. */
  others: string[];
  /** Each term's BM25 rarity (IDF) in the passage layer; empty for a query of one word (with its exact form). */
  rarity: Map<string, number>;
}

/**
 * Sorts a query's words into those that choose rows and the common ones (by the passage layer's
 * document frequencies, for every layer): the words rarer than `common`, or the rarest word
 * when all are common, less the most frequent of them while together they hold more of the KB's
 * passages than `common.rowBudget`. An exact word (`indexTerms`) goes where its stem goes: its
 * rows are some of the stem's, so it chooses no row the stem does not and costs the budget
 * nothing. Once per query: it reads each word's document frequency (`passages`, the counts from
 * `passageCounts()`, saves reading them again).
 */
export function planWords(
  db: Db,
  terms: string[],
  common: CommonWords = COMMON_WORDS,
  passages?: { kb: number; all: number },
): WordPlan {
  const words = terms.filter((t) => stemOfExact(t) === undefined);
  if (words.length < 2) return { terms, choosing: terms, others: [], rarity: new Map() };
  const { rows: total, df } = termStatistics(db, terms, passages?.all);
  const rarity = new Map(terms.map((t) => [t, termRarity(total, df.get(t) ?? 0)]));
  const limit = Math.max(common.minRows, common.share * total);
  const rows = (term: string) => df.get(term) ?? 0;
  const rare = words.filter((t) => rows(t) <= limit);
  const choosing = rare.length > 0 ? rare : [words.reduce((a, b) => (rows(b) < rows(a) ? b : a))];
  // Rows of the KB the choosing words hold, if they are spread over the KBs as the passages are.
  const kbShare = passages && passages.all > 0 ? passages.kb / passages.all : 1;
  let held = choosing.reduce((sum, t) => sum + rows(t), 0) * kbShare;
  for (const t of [...choosing].sort((a, b) => rows(b) - rows(a))) {
    if (held <= (common.rowBudget ?? Number.POSITIVE_INFINITY) || choosing.length === 1) break;
    choosing.splice(choosing.indexOf(t), 1);
    held -= rows(t) * kbShare;
  }
  const chooses = (t: string) => choosing.includes(stemOfExact(t) ?? t);
  return { terms, choosing: terms.filter(chooses), others: terms.filter((t) => !chooses(t)), rarity };
}

/** Narrowed to a few documents or sections, named by scope tokens. */
const byScopeTokens = (q: TextQuery) => byTokens(q.documentIds) || byTokens(q.parentIds);

/**
 * The words' part of the MATCH expression: rows holding one of the `need` words, and one of
 * the `also` words too when there are any. BM25 counts every word named here.
 */
function wordsMatch(need: string[], also: string[]): string {
  const match = `{content heading} : (${ftsOr(need)})`;
  return also.length > 0 ? `${match} AND {content heading} : (${ftsOr(also)})` : match;
}

/**
 * The MATCH expression: the words in body or heading, narrowed by scope tokens inside FTS5:
 * the KB's token, or the documents' or sections' tokens, which name rows of one KB only.
 * BM25 counts the rows of every token it is given, and the KB's are all of them (3 ms per
 * search at 100k passages), so a narrowed search leaves the KB's token out.
 */
function expression(q: TextQuery, words: string, kbToken = true): string {
  const parts = [words];
  if (kbToken && !byScopeTokens(q)) parts.push(`scope : ${quoteToken('k', q.kbId)}`);
  if (byTokens(q.documentIds)) parts.push(`scope : (${q.documentIds.map((id) => quoteToken('d', id)).join(' OR ')})`);
  if (byTokens(q.parentIds)) parts.push(`scope : (${q.parentIds.map((id) => quoteToken('p', id)).join(' OR ')})`);
  return parts.join(' AND ');
}

/**
 * Tests on the columns of the rows FTS5 matched, before they are ranked and cut: long id lists,
 * and the KB where its token was left out (ids from a caller never reach another KB's rows).
 */
function columnTests(q: TextQuery): { sql: string; params: string[] } {
  const sql: string[] = [];
  const params: string[] = [];
  if (byScopeTokens(q)) {
    sql.push(' AND kb_id = ?');
    params.push(q.kbId);
  }
  for (const [column, ids] of [
    ['document_id', q.documentIds],
    ['parent_id', q.parentIds],
  ] as const) {
    if (!ids || byTokens(ids)) continue;
    sql.push(` AND ${column} IN (SELECT value FROM json_each(?))`);
    params.push(JSON.stringify(ids));
  }
  return { sql: sql.join(''), params };
}

/**
 * The best BM25 matches of one layer of a KB (optionally inside some documents or parents),
 * best first, from that layer's own table. The KB or the narrowing is a term of the FTS5 query
 * itself, so rows of other KBs are never scored.
 */
export function searchText(db: Db, q: TextQuery): TextHit[] {
  if (q.words.terms.length === 0 || q.documentIds?.length === 0 || q.parentIds?.length === 0) return [];
  const table = ftsTable(q.layer);
  const rows = (q.kbShare !== undefined && byMostRows(db, table, q, q.kbShare)) || rankedRows(db, table, q, true);
  const bonus =
    q.proximity && q.proximity.weight > 0 && q.words.rarity.size > 0 && rows.length > 0
      ? proximityBonus(db, table, rows, q.words, q.proximity)
      : undefined;
  const hits = rows.map((r, i) => ({
    id: r.chunk_id,
    documentId: r.document_id,
    parentId: r.parent_id || null,
    score: -r.rank + (bonus?.[i] ?? 0),
  }));
  return bonus ? hits.sort((a, b) => b.score - a.score) : hits;
}

interface RankedRow {
  rowid: number;
  chunk_id: string;
  kb_id: string;
  document_id: string;
  parent_id: string | null;
  rank: number;
}

/**
 * The best `limit` rows by BM25, best first. With common words, two searches: the rows that
 * hold one of them, scored with them, and the rows of the choosing words alone, scored without
 * them. A row of the second kind that holds a common word scores less there than in the first,
 * so keeping each row's better score gives exactly the ranking of one search over the choosing
 * words' rows with every word counted. One search did that by ORing the common words with the
 * `all` token every row carries, but FTS5 then walks that token's list of every row. Without
 * column tests, the rows are ranked and cut before their other columns are read: ordering by
 * `bm25()` read them for every row matched. At 100k passages, for the benchmark's 31 queries
 * with a common word, 12.0 / 22.0 ms at p50 / p95 -> 9.4 / 19.1, the same rows in the same order.
 */
function rankedRows(db: Db, table: string, q: TextQuery, kbToken: boolean, limit = q.limit): RankedRow[] {
  const columns = columnTests(q);
  const search = db.statement(
    columns.sql
      ? `SELECT rowid, chunk_id, kb_id, document_id, parent_id, bm25(${table}, 1.0, ?, 0.0) AS rank FROM ${table}
         WHERE ${table} MATCH ?${columns.sql} ORDER BY rank LIMIT ?`
      : `SELECT s.rowid, f.chunk_id, f.kb_id, f.document_id, f.parent_id, s.rank FROM
           (SELECT rowid, bm25(${table}, 1.0, ?, 0.0) AS rank FROM ${table} WHERE ${table} MATCH ? ORDER BY rank LIMIT ?) s
         JOIN ${table} f ON f.rowid = s.rowid ORDER BY s.rank`,
  );
  const { terms, choosing, others } = q.words;
  // Narrowed (its rows are few) or without common words: one search over every word.
  const searches =
    others.length === 0 || byScopeTokens(q)
      ? [wordsMatch(terms, [])]
      : [wordsMatch(choosing, others), wordsMatch(choosing, [])];
  const lists = searches.map(
    (words) => search.all(q.headingWeight, expression(q, words, kbToken), ...columns.params, limit) as RankedRow[],
  );
  if (lists.length === 1) return lists[0];
  const best = new Map<number, RankedRow>();
  for (const row of lists.flat()) {
    const seen = best.get(row.rowid);
    if (!seen || row.rank < seen.rank) best.set(row.rowid, row);
  }
  return [...best.values()].sort((a, b) => a.rank - b.rank).slice(0, limit);
}

/** A KB with at least this share of the passages is searched without its token. */
const MOST_ROWS = 0.5;

/**
 * A search across a KB that holds most of the index: BM25 reads every row of every token it is
 * given, and this KB's token is most of the table (at 100k passages in one KB, 7.2 ms a query
 * with it, 2.5 without). So the words alone are ranked, over enough rows to hold `limit` of
 * the KB's at its share, and the KB's are kept: its token weighs nothing in BM25, so they come
 * in the same order with the same scores. Undefined (search with the token) when the KB is
 * smaller, or when the rows read were all taken and still held too few of the KB's.
 */
function byMostRows(db: Db, table: string, q: TextQuery, share: number): RankedRow[] | undefined {
  if (share < MOST_ROWS || byScopeTokens(q)) return undefined;
  const wanted = Math.ceil((q.limit / share) * 1.25);
  const rows = rankedRows(db, table, q, false, wanted);
  const mine = rows.filter((r) => r.kb_id === q.kbId);
  if (mine.length < q.limit && rows.length === wanted) return undefined;
  return mine.slice(0, q.limit);
}

/**
 * What the best window of its query words adds to each row's BM25, in the rows' order: the
 * row with the best `bestWindow` gets `weight` times the search's best BM25, the others their
 * share of that. The bodies are read by rowid after BM25 has cut to `limit` rows, so the cost
 * is that of the rows returned, not of the rows matched. The indexed body is already
 * `analyze`d, one term per word.
 */
function proximityBonus(db: Db, table: string, rows: RankedRow[], words: WordPlan, proximity: Proximity): number[] {
  const bodies = db
    .statement(`SELECT rowid, content FROM ${table} WHERE rowid IN (SELECT value FROM json_each(?))`)
    .all(JSON.stringify(rows.map((r) => r.rowid))) as Array<{ rowid: number; content: string }>;
  const byRow = new Map(bodies.map((b) => [b.rowid, b.content]));
  const find = wordFinder(words.terms);
  const scores = rows.map((r) => bestWindow(words, find(byRow.get(r.rowid) ?? ''), proximity.window));
  const top = Math.max(0, ...scores);
  if (!(top > 0)) return scores.map(() => 0);
  // Rows come best first: the first one's BM25 is the search's best.
  const unit = (proximity.weight * -(rows[0]?.rank ?? 0)) / top;
  return scores.map((score) => unit * score);
}

/** BM25's term-frequency saturation. */
const K1 = 1.2;

/** A query word found in an analysed body, and its place there (in words). */
export interface Found {
  term: string;
  at: number;
}

const regexSpecials = /[.*+?^${}()|[\]\\]/g;

/**
 * Finds these words in analysed bodies (their terms separated by single spaces), in order.
 * One regular expression over the body, counting the spaces passed for the places; an exact
 * word (`EXACT_MARK`) takes its stem's place, so a window is as many words in any language.
 * Splitting each body into words cost 3.1-4.0 ms a search for the eval questions over 20k real
 * passages (the corpus with man pages), this 1.3-1.7 ms, with the same window scores for all
 * 23,100 rows.
 */
export function wordFinder(terms: string[]): (body: string) => Found[] {
  if (terms.length === 0) return () => [];
  const alternatives = [...terms].sort((a, b) => b.length - a.length).map((t) => t.replace(regexSpecials, '\\$&'));
  const pattern = new RegExp(`(?<![^ ])(?:${alternatives.join('|')})(?![^ ])`, 'g');
  return (body) => {
    const found: Found[] = [];
    let at = 0;
    let scanned = 0;
    for (const match of body.matchAll(pattern)) {
      for (let i = body.indexOf(' ', scanned); i !== -1 && i < match.index; i = body.indexOf(' ', i + 1)) {
        if (body[i + 1] !== EXACT_MARK) at++;
      }
      scanned = match.index;
      found.push({ term: match[0], at });
    }
    return found;
  };
}

/**
 * The BM25 of a text's best stretch of `window` consecutive words: each query word inside it
 * adds its rarity, saturated by how often it occurs there (k1 1.2; every window is as long as
 * the next, so no length normalisation). A passage that answers holds the question's words
 * together; one that merely mentions them, here and there in a long table, scores less.
 * `found` are the query words in the text with their places (`wordFinder`), in order.
 */
export function bestWindow(words: Pick<WordPlan, 'rarity'>, found: Found[], window: number): number {
  const part = (term: string, tf: number) => ((words.rarity.get(term) ?? 0) * tf * (K1 + 1)) / (tf + K1);
  const inWindow = new Map<string, number>();
  const change = (term: string, by: number) => {
    const tf = inWindow.get(term) ?? 0;
    inWindow.set(term, tf + by);
    return part(term, tf + by) - part(term, tf);
  };
  let score = 0;
  let best = 0;
  let first = 0;
  for (const { term, at } of found) {
    score += change(term, 1);
    for (let out = found[first]; out && at - out.at >= window; out = found[++first]) score += change(out.term, -1);
    best = Math.max(best, score);
  }
  return best;
}
