import { z } from 'zod';

/**
 * Dify's comparison operators (its External Knowledge API and its own metadata filter), plus
 * ASCII spellings of the symbols. Text operators apply to strings and to each item of a list;
 * the symbols compare numbers; `before` and `after` compare dates.
 */
export const comparisonOperators = [
  'contains',
  'not contains',
  'start with',
  'end with',
  'is',
  'is not',
  'in',
  'not in',
  'empty',
  'not empty',
  'null',
  'not null',
  '=',
  '≠',
  '!=',
  '>',
  '<',
  '≥',
  '>=',
  '≤',
  '<=',
  'before',
  'after',
] as const;
export type ComparisonOperator = (typeof comparisonOperators)[number];

const PRESENCE = new Set<ComparisonOperator>(['empty', 'not empty', 'null', 'not null']);
const NUMERIC = new Set<ComparisonOperator>(['=', '≠', '!=', '>', '<', '≥', '>=', '≤', '<=']);
const DATES = new Set<ComparisonOperator>(['before', 'after']);
const LISTS = new Set<ComparisonOperator>(['in', 'not in']);

const conditionSchema = z
  .object({
    name: z
      .union([z.string().min(1).max(64), z.array(z.string().min(1).max(64)).min(1).max(20)])
      .describe('The metadata name, or several names: the condition holds when it holds for any of them'),
    comparison_operator: z.enum(comparisonOperators),
    value: z
      .union([z.string().max(1000), z.number().finite(), z.array(z.string().max(200)).max(100), z.null()])
      .optional()
      .describe(
        'Omitted for empty / not empty; a number for = ≠ > < ≥ ≤; a date (ISO 8601 or Unix seconds) for before / after',
      ),
  })
  .superRefine((c, ctx) => {
    const problem = valueProblem(c.comparison_operator, c.value);
    if (problem) ctx.addIssue({ code: 'custom', path: ['value'], message: problem });
  });

/** Dify's `metadata_condition`: conditions joined by `and` (default) or `or`. */
export const metadataFilterSchema = z
  .object({
    logical_operator: z.enum(['and', 'or']).default('and'),
    conditions: z.array(conditionSchema).min(1).max(20),
  })
  .describe("Keeps only documents whose metadata meets the conditions (Dify's metadata_condition)");

export type MetadataFilter = z.infer<typeof metadataFilterSchema>;
export type MetadataFilterInput = z.input<typeof metadataFilterSchema>;

/** A condition ready for SQL: one canonical operator and a value of the type it compares. */
export type NormalCondition =
  | { names: string[]; op: 'empty' | 'not empty' }
  | { names: string[]; op: 'contains' | 'not contains' | 'start with' | 'end with'; value: string }
  | { names: string[]; op: 'is' | 'is not'; value: string | number }
  | { names: string[]; op: 'in' | 'not in'; value: string[] }
  | { names: string[]; op: '=' | '≠' | '>' | '<' | '≥' | '≤'; value: number }
  | { names: string[]; op: 'before' | 'after'; value: number };

type Value = string | number | string[] | null | undefined;

const asNumber = (v: Value): number | undefined => {
  if (typeof v === 'number') return v;
  if (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v))) return Number(v);
  return undefined;
};

/** Unix seconds of a date given as ISO 8601 text or as Unix seconds (milliseconds when that large). */
export function asUnixSeconds(v: Value): number | undefined {
  const n = asNumber(v);
  if (n !== undefined) return Math.abs(n) > 1e11 ? n / 1000 : n;
  if (typeof v !== 'string') return undefined;
  const ms = Date.parse(v);
  return Number.isNaN(ms) ? undefined : ms / 1000;
}

const asList = (v: Value): string[] | undefined => {
  if (Array.isArray(v)) return v;
  if (typeof v === 'string') return v.split(',').map((s) => s.trim());
  if (typeof v === 'number') return [String(v)];
  return undefined;
};

function valueProblem(op: ComparisonOperator, v: Value): string | undefined {
  if (PRESENCE.has(op)) return undefined;
  if (v === undefined || v === null) return `"${op}" needs a value`;
  if (NUMERIC.has(op)) return asNumber(v) === undefined ? `"${op}" compares numbers: give a number` : undefined;
  if (DATES.has(op))
    return asUnixSeconds(v) === undefined ? `"${op}" needs a date (ISO 8601 or Unix seconds)` : undefined;
  if (LISTS.has(op)) return undefined;
  if (Array.isArray(v)) return `"${op}" takes one value, not a list`;
  if (op !== 'is' && op !== 'is not' && String(v) === '') return `"${op}" needs a non-empty value`;
  return undefined;
}

const canonical: Partial<Record<ComparisonOperator, NormalCondition['op']>> = {
  null: 'empty',
  'not null': 'not empty',
  '!=': '≠',
  '>=': '≥',
  '<=': '≤',
};

/** The parsed filter's conditions with canonical operators and typed values. */
export function normalizeFilter(filter: MetadataFilter): { any: boolean; conditions: NormalCondition[] } {
  const conditions = filter.conditions.map((c): NormalCondition => {
    const names = [...new Set(Array.isArray(c.name) ? c.name : [c.name])].map((n) => n.trim());
    const op = canonical[c.comparison_operator] ?? (c.comparison_operator as NormalCondition['op']);
    const v = c.value;
    switch (op) {
      case 'empty':
      case 'not empty':
        return { names, op };
      case 'in':
      case 'not in':
        return { names, op, value: asList(v) ?? [] };
      case '=':
      case '≠':
      case '>':
      case '<':
      case '≥':
      case '≤':
        return { names, op, value: asNumber(v) ?? 0 };
      case 'before':
      case 'after':
        return { names, op, value: asUnixSeconds(v) ?? 0 };
      case 'is':
      case 'is not':
        return { names, op, value: typeof v === 'number' ? v : String(v ?? '') };
      default:
        return { names, op, value: String(v ?? '') };
    }
  });
  return { any: filter.logical_operator === 'or', conditions };
}
