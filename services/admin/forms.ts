import type { Context } from 'hono';
import { z } from 'zod';
import { AppError } from '../core/errors.ts';

/** Field name to message (a dictionary key or plain text); `_form` for the form as a whole. */
export type FieldErrors = Record<string, string>;

/** The text fields as posted (the last value of a repeated one), to show the form again. */
export type FormValues = Record<string, string>;

export type FormResult<T> =
  | { ok: true; data: T; values: FormValues }
  | { ok: false; errors: FieldErrors; values: FormValues };

/** A field that may be posted several times (checkboxes of one name): always a list. */
export const listField = <T extends z.ZodType<string, string>>(item: T) =>
  z
    .union([z.string(), z.array(z.string())])
    .optional()
    .transform((v) => (v === undefined ? [] : [v].flat()))
    .pipe(z.array(item));

/** A checkbox: true when posted as `true` or `on`. */
export const checkbox = () =>
  z
    .string()
    .optional()
    .transform((v) => v === 'true' || v === 'on');

/** The first issue of each field of a failed zod parse. */
export function fieldErrors(error: z.ZodError): FieldErrors {
  const out: FieldErrors = {};
  for (const issue of error.issues) {
    const key = String(issue.path[0] ?? '_form');
    out[key] ??= issue.message;
  }
  return out;
}

/**
 * Reads a posted console form and validates it with `schema`. Every field is text: a file in
 * any field is refused with 400 (it would otherwise be saved as "[object File]"). The schema
 * sees a field posted once as a string and a repeated one as a string array; an unreadable body
 * is a 400 too. Uploads read their files themselves.
 */
export async function readForm<S extends z.ZodType>(c: Context, schema: S): Promise<FormResult<z.output<S>>> {
  let body: Record<string, string | File | Array<string | File>>;
  try {
    body = await c.req.parseBody({ all: true });
  } catch {
    throw new AppError('bad_request', 'The form could not be read');
  }
  const fields: Record<string, string | string[]> = {};
  const values: FormValues = {};
  for (const [name, value] of Object.entries(body)) {
    const texts = [value].flat();
    if (!texts.every((v): v is string => typeof v === 'string')) {
      throw new AppError('bad_request', `The form field "${name.slice(0, 100)}" must be text, not a file`);
    }
    fields[name] = texts.length === 1 ? (texts[0] ?? '') : texts;
    values[name] = texts.at(-1) ?? '';
  }
  const parsed = schema.safeParse(fields);
  return parsed.success
    ? { ok: true, data: parsed.data, values }
    : { ok: false, errors: fieldErrors(parsed.error), values };
}

/**
 * `readForm` for forms that are not shown again (buttons with hidden fields): an invalid
 * form is a 400 naming the first bad field.
 */
export async function readFields<S extends z.ZodType>(c: Context, schema: S): Promise<z.output<S>> {
  const form = await readForm(c, schema);
  if (form.ok) return form.data;
  const [field, message] = Object.entries(form.errors)[0] ?? ['_form', 'invalid'];
  throw new AppError('validation_failed', `${field}: ${message}`);
}
