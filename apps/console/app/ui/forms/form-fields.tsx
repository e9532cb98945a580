import type { ReactNode } from 'react';
import { describedByOf, fieldBorder, FieldProblemText, fieldId } from './field-problem';

const inputClass = 'mt-1 w-full rounded-md border px-2 py-1.5 text-sm';

/** A titled card grouping a form's fields; the heading labels the section for screen readers. */
export function FormSection({ title, children }: { title: string; children: ReactNode }) {
  const id = `section-${title.toLowerCase().replace(/[^a-z]+/g, '-')}`;
  return (
    <section aria-labelledby={id} className="rounded-lg border border-slate-200 bg-white p-4 shadow-sm">
      <h2 id={id} className="mb-3 text-base font-semibold text-slate-900">
        {title}
      </h2>
      {children}
    </section>
  );
}

/** A text input named by its dotted path, with its hint and the first problem of that path under it. */
export function TextField({
  path,
  label,
  hint,
  value,
  onChange,
  problems,
}: {
  path: string;
  label: string;
  hint?: string;
  value: string;
  onChange: (value: string) => void;
  problems: ReadonlyMap<string, string>;
}) {
  const id = fieldId(path);
  const problem = problems.get(path);
  return (
    <div>
      <label htmlFor={id} className="block text-xs font-medium text-slate-700">
        {label}
      </label>
      <input
        id={id}
        name={path}
        autoComplete="off"
        value={value}
        aria-invalid={problem ? true : undefined}
        aria-describedby={describedByOf(id, problem, hint !== undefined && hint !== '')}
        onChange={(event) => onChange(event.target.value)}
        className={`${inputClass} ${fieldBorder(problem)}`}
      />
      {hint ? (
        <p id={`${id}-hint`} className="mt-0.5 text-xs text-slate-600">
          {hint}
        </p>
      ) : null}
      <FieldProblemText path={path} problem={problem} />
    </div>
  );
}

/**
 * A select named by its dotted path, marked while `problem` is set (with the problem under it unless
 * `problemShownElsewhere`). `className` adds to the input's classes (a width, `font-mono`).
 */
export function SelectField({
  path,
  label,
  value,
  onChange,
  problem,
  className = '',
  disabled,
  problemShownElsewhere = false,
  children,
}: {
  path: string;
  label: string;
  value: string;
  onChange: (value: string) => void;
  problem?: string;
  className?: string;
  disabled?: boolean;
  problemShownElsewhere?: boolean;
  children: ReactNode;
}) {
  const id = fieldId(path);
  return (
    <div>
      <label htmlFor={id} className="block text-xs font-medium text-slate-700">
        {label}
      </label>
      <select
        id={id}
        value={value}
        onChange={(event) => onChange(event.target.value)}
        disabled={disabled}
        aria-invalid={problem ? true : undefined}
        aria-describedby={problemShownElsewhere && problem ? `${id}-problem` : undefined}
        className={`${inputClass} ${className} ${fieldBorder(problem)}`.replace(/\s+/g, ' ').trim()}
      >
        {children}
      </select>
      {problemShownElsewhere ? null : <FieldProblemText path={path} problem={problem} />}
    </div>
  );
}
