import type { NormalCondition } from '../search/filter.ts';
import type { Db } from './index.ts';

interface Sql {
  sql: string;
  params: Array<string | number>;
}

/** The named field of the document's metadata, as rows `m` of json_each (none when absent). */
const FIELD = 'FROM json_each(d.metadata) m WHERE m.key = ?';
const IS_NUMBER = "m.type IN ('integer', 'real')";
const IS_EMPTY =
  "(m.type = 'null' OR (m.type = 'text' AND m.atom = '') OR (m.type = 'array' AND json_array_length(m.value) = 0))";

type TextOp = 'contains' | 'start with' | 'end with' | 'is' | 'in';

/** A test on one string `x`. In a list's item, "contains" means being the item; in a string, holding the text. */
function textTest(op: TextOp, item: boolean, x: string, v: string | number): Sql {
  switch (op) {
    case 'contains':
      return { sql: item ? `lower(${x}) = lower(?)` : `instr(lower(${x}), lower(?)) > 0`, params: [v] };
    case 'start with':
      return { sql: `substr(lower(${x}), 1, length(?)) = lower(?)`, params: [v, v] };
    case 'end with':
      return { sql: `substr(lower(${x}), -length(?)) = lower(?)`, params: [v, v] };
    case 'is':
      return { sql: `${x} = ?`, params: [v] };
    case 'in':
      return { sql: `${x} IN (SELECT value FROM json_each(?))`, params: [v] };
  }
}

/**
 * Whether the field matches: a string, any text item of a list, or for `is` a number equal to
 * the value (given as a number, or as text that reads as one: Dify sends text).
 */
function matches(op: TextOp, value: string | number | string[]): Sql {
  const numeric = op === 'is' && value !== '' && Number.isFinite(Number(value)) ? Number(value) : undefined;
  const onNumber = `(${IS_NUMBER} AND m.atom = ?)`;
  if (typeof value === 'number') return { sql: onNumber, params: [value] };
  const v = Array.isArray(value) ? JSON.stringify(value) : value;
  const onText = textTest(op, false, 'm.atom', v);
  const onItem = textTest(op, true, 'e.atom', v);
  const sql = `(m.type = 'text' AND ${onText.sql}) OR (m.type = 'array' AND EXISTS (SELECT 1 FROM json_each(m.value) e WHERE e.type = 'text' AND ${onItem.sql}))`;
  return numeric === undefined
    ? { sql: `(${sql})`, params: [...onText.params, ...onItem.params] }
    : { sql: `(${sql} OR ${onNumber})`, params: [...onText.params, ...onItem.params, numeric] };
}

const NUMERIC_SQL = { '=': '=', '≠': '!=', '>': '>', '<': '<', '≥': '>=', '≤': '<=' } as const;
const NEGATED = { 'not contains': 'contains', 'is not': 'is', 'not in': 'in' } as const;

/** One condition on one metadata name. A name the document lacks meets none but `empty` (as in Dify). */
function conditionOn(name: string, c: NormalCondition): Sql {
  switch (c.op) {
    case 'empty':
      return { sql: `NOT EXISTS (SELECT 1 ${FIELD} AND NOT ${IS_EMPTY})`, params: [name] };
    case 'not empty':
      return { sql: `EXISTS (SELECT 1 ${FIELD} AND NOT ${IS_EMPTY})`, params: [name] };
    case '=':
    case '≠':
    case '>':
    case '<':
    case '≥':
    case '≤':
      return {
        sql: `EXISTS (SELECT 1 ${FIELD} AND ${IS_NUMBER} AND m.atom ${NUMERIC_SQL[c.op]} ?)`,
        params: [name, c.value],
      };
    case 'before':
    case 'after': {
      const cmp = c.op === 'before' ? '<' : '>';
      return {
        sql: `EXISTS (SELECT 1 ${FIELD} AND ((m.type = 'text' AND unixepoch(m.atom, 'subsec') ${cmp} ?) OR (${IS_NUMBER} AND m.atom ${cmp} ?)))`,
        params: [name, c.value, c.value],
      };
    }
    case 'not contains':
    case 'is not':
    case 'not in': {
      const m = matches(NEGATED[c.op], c.value);
      return { sql: `EXISTS (SELECT 1 ${FIELD} AND NOT ${IS_EMPTY} AND NOT ${m.sql})`, params: [name, ...m.params] };
    }
    default: {
      const m = matches(c.op, c.value);
      return { sql: `EXISTS (SELECT 1 ${FIELD} AND ${m.sql})`, params: [name, ...m.params] };
    }
  }
}

const join = (parts: Sql[], op: 'AND' | 'OR'): Sql => ({
  sql: `(${parts.map((p) => p.sql).join(` ${op} `)})`,
  params: parts.flatMap((p) => p.params),
});

/**
 * The ids of a KB's documents whose metadata meets the conditions (all of them, or any with
 * `any`). A condition naming several fields holds when it holds for one of them.
 */
export function documentsMatching(
  db: Db,
  kbId: string,
  filter: { any: boolean; conditions: NormalCondition[] },
): string[] {
  const where = join(
    filter.conditions.map((c) =>
      join(
        c.names.map((name) => conditionOn(name, c)),
        'OR',
      ),
    ),
    filter.any ? 'OR' : 'AND',
  );
  const rows = db.sqlite
    .prepare(`SELECT d.id FROM documents d WHERE d.kb_id = ? AND ${where.sql}`)
    .all(kbId, ...where.params) as Array<{ id: string }>;
  return rows.map((r) => r.id);
}
