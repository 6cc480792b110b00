import type { Child } from 'hono/jsx';
import { type Dict, translate } from '../i18n/index.ts';

export interface FieldProps {
  t: Dict;
  label: string;
  name: string;
  type?: string;
  value?: string;
  error?: string;
  hint?: string;
  required?: boolean;
  autocomplete?: string;
  multiline?: boolean;
  rows?: number;
  maxlength?: number;
}

/** A labelled input with its hint and its error right below, wired for screen readers. */
export function Field(p: FieldProps) {
  const id = `f-${p.name}`;
  const describedBy = [p.hint && `${id}-hint`, p.error && `${id}-error`].filter(Boolean).join(' ') || undefined;
  const common = {
    id,
    name: p.name,
    required: p.required,
    maxlength: p.maxlength,
    'aria-invalid': p.error ? 'true' : undefined,
    'aria-describedby': describedBy,
  };
  return (
    <div class={p.error ? 'field has-error' : 'field'}>
      <label for={id}>{p.label}</label>
      {p.multiline ? (
        <textarea {...common} rows={p.rows ?? 4}>
          {p.value ?? ''}
        </textarea>
      ) : (
        <input {...common} type={p.type ?? 'text'} value={p.value} autocomplete={p.autocomplete} />
      )}
      {p.hint && (
        <p class="hint" id={`${id}-hint`}>
          {p.hint}
        </p>
      )}
      {p.error && (
        <p class="error" id={`${id}-error`}>
          {translate(p.t, p.error)}
        </p>
      )}
    </div>
  );
}

/** A form-level message (not tied to one field). */
export function FormError({ t, error }: { t: Dict; error?: string }) {
  if (!error) return null;
  return (
    <p class="form-error" role="alert">
      {translate(t, error)}
    </p>
  );
}

/**
 * A card form that posts with htmx and replaces itself with the answer (the same form with
 * its errors), or posts normally without JavaScript.
 */
export function SwapForm(p: { action: string; id: string; children: Child }) {
  return (
    <form
      method="post"
      action={p.action}
      class="card stack"
      id={p.id}
      hx-post={p.action}
      hx-target="this"
      hx-swap="outerHTML"
    >
      {p.children}
    </form>
  );
}

/** A small form whose only control is one button: the keyboard-friendly way to do an action. */
export function ActionButton(props: {
  action: string;
  label: string;
  confirm?: string;
  variant?: 'danger' | 'secondary';
  target?: string;
  fields?: Record<string, string>;
  /** A stable id keeps keyboard focus on the button when htmx swaps the list around it. */
  id?: string;
  children?: Child;
}) {
  return (
    <form
      method="post"
      action={props.action}
      class="inline"
      hx-post={props.action}
      hx-confirm={props.confirm}
      hx-target={props.target}
      hx-swap={props.target ? 'outerHTML' : undefined}
    >
      {Object.entries(props.fields ?? {}).map(([k, v]) => (
        <input type="hidden" name={k} value={v} />
      ))}
      <button type="submit" id={props.id} class={props.variant ?? 'secondary'}>
        {props.label}
      </button>
      {props.children}
    </form>
  );
}
