'use client';

import { boundsText, draftForVariant, draftOf, fieldLabel, joinPath, type Draft, type FieldSpec, type ObjectField } from '../../lib/hyperparameter-form';
import { fieldBorder, FieldProblemText, fieldId } from '../forms/field-problem';

const inputClass = 'mt-1 w-full rounded-md border px-2 py-1.5 font-mono text-sm';

interface FieldProps {
  spec: FieldSpec;
  draft: Draft;
  path: string;
  label: string;
  hint?: string;
  problems: ReadonlyMap<string, string>;
  onChange: (draft: Draft) => void;
}

/** The fields of an object schema (the hyper-parameters themselves, a layer, early-stopping settings). */
export function ObjectFields({
  fields,
  draft,
  path,
  problems,
  onChange,
}: {
  fields: ObjectField[];
  draft: Draft;
  path: string;
  problems: ReadonlyMap<string, string>;
  onChange: (draft: Draft) => void;
}) {
  const values = draft.kind === 'object' ? draft.fields : {};
  return (
    <div className="grid grid-cols-1 gap-x-4 gap-y-3 sm:grid-cols-2 lg:grid-cols-3">
      {fields.map((field) => (
        <div
          key={field.name}
          className={field.spec.kind === 'array' || field.spec.kind === 'object' || isObjectChoice(field.spec) ? 'sm:col-span-2 lg:col-span-3' : ''}
        >
          <HyperparameterField
            spec={field.spec}
            draft={values[field.name] ?? draftOf(field.spec, field.default)}
            path={joinPath(path, field.name)}
            label={fieldLabel(field.name)}
            hint={field.description ?? hintOf(field)}
            problems={problems}
            onChange={(next) => onChange({ kind: 'object', fields: { ...values, [field.name]: next } })}
          />
        </div>
      ))}
    </div>
  );
}

function isObjectChoice(spec: FieldSpec): boolean {
  return spec.kind === 'choice' && spec.variants.some((v) => v.spec.kind === 'object');
}

/** The default in words, so a changed field can be set back. */
function hintOf(field: ObjectField): string | undefined {
  if (field.default === undefined) return field.required ? 'required' : undefined;
  if (field.default === null) return 'default: none';
  if (typeof field.default === 'object') return undefined;
  return `default: ${String(field.default)}`;
}

export function HyperparameterField({ spec, draft, path, label, hint, problems, onChange }: FieldProps) {
  const id = fieldId(path);
  const problem = problems.get(path);
  const describedBy = [problem ? `${id}-problem` : '', hint || spec.kind === 'number' ? `${id}-hint` : ''].filter(Boolean).join(' ') || undefined;
  switch (spec.kind) {
    case 'number':
    case 'string':
    case 'json':
      return (
        <div>
          <label htmlFor={id} className="block text-xs font-medium text-slate-700">
            {label}
          </label>
          <input
            id={id}
            name={path}
            inputMode={spec.kind === 'number' ? (spec.integer ? 'numeric' : 'decimal') : undefined}
            autoComplete="off"
            value={draft.kind === 'text' ? draft.text : ''}
            aria-invalid={problem ? true : undefined}
            aria-describedby={describedBy}
            onChange={(event) => onChange({ kind: 'text', text: event.target.value })}
            className={`${inputClass} ${fieldBorder(problem)}`}
          />
          <Hint
            id={id}
            text={[spec.kind === 'number' ? `${spec.integer ? 'integer' : 'number'} ${boundsText(spec)}`.trim() : '', hint].filter(Boolean).join(' · ')}
          />
          <FieldProblemText path={path} problem={problem} />
        </div>
      );
    case 'enum':
      return (
        <div>
          <label htmlFor={id} className="block text-xs font-medium text-slate-700">
            {label}
          </label>
          <select
            id={id}
            name={path}
            value={draft.kind === 'text' ? draft.text : ''}
            aria-invalid={problem ? true : undefined}
            aria-describedby={describedBy}
            onChange={(event) => onChange({ kind: 'text', text: event.target.value })}
            className={`${inputClass} ${fieldBorder(problem)}`}
          >
            {spec.options.map((option) => (
              <option key={option} value={option}>
                {option}
              </option>
            ))}
          </select>
          <Hint id={id} text={hint} />
          <FieldProblemText path={path} problem={problem} />
        </div>
      );
    case 'boolean':
      return (
        <div className="flex items-start gap-2 pt-5">
          <input
            id={id}
            type="checkbox"
            name={path}
            checked={draft.kind === 'bool' && draft.value}
            aria-describedby={describedBy}
            onChange={(event) => onChange({ kind: 'bool', value: event.target.checked })}
            className="mt-0.5 h-4 w-4 rounded border-slate-300"
          />
          <div>
            <label htmlFor={id} className="text-sm text-slate-800">
              {label}
            </label>
            <Hint id={id} text={hint} />
            <FieldProblemText path={path} problem={problem} />
          </div>
        </div>
      );
    case 'const':
      return null;
    case 'choice': {
      const selected = draft.kind === 'choice' ? draft.variant : 0;
      const variant = spec.variants[selected];
      const inner = draft.kind === 'choice' ? draft.inner : { kind: 'none' as const };
      const innerSpec = variant?.spec;
      return (
        <div>
          <label htmlFor={id} className="block text-xs font-medium text-slate-700">
            {label}
          </label>
          <div className="flex gap-2">
            <select
              id={id}
              name={`${path}#option`}
              value={String(selected)}
              aria-invalid={problem && (!innerSpec || innerSpec.kind === 'const') ? true : undefined}
              aria-describedby={describedBy}
              onChange={(event) => {
                const index = Number(event.target.value);
                const next = spec.variants[index];
                if (next) onChange({ kind: 'choice', variant: index, inner: draftForVariant(next.spec) });
              }}
              className={`${inputClass} ${innerSpec?.kind === 'number' || innerSpec?.kind === 'string' ? 'max-w-[55%]' : ''} border-slate-300`}
            >
              {spec.variants.map((v, index) => (
                <option key={`${v.label}-${index}`} value={index}>
                  {v.label}
                </option>
              ))}
            </select>
            {innerSpec && (innerSpec.kind === 'number' || innerSpec.kind === 'string') ? (
              <input
                id={`${id}-value`}
                aria-label={`${label} value`}
                name={path}
                inputMode={innerSpec.kind === 'number' ? (innerSpec.integer ? 'numeric' : 'decimal') : undefined}
                autoComplete="off"
                value={inner.kind === 'text' ? inner.text : ''}
                aria-invalid={problem ? true : undefined}
                aria-describedby={problem ? `${id}-problem` : undefined}
                onChange={(event) => onChange({ kind: 'choice', variant: selected, inner: { kind: 'text', text: event.target.value } })}
                className={`${inputClass} ${fieldBorder(problem)}`}
              />
            ) : null}
          </div>
          <Hint id={id} text={hint} />
          {innerSpec && innerSpec.kind !== 'number' && innerSpec.kind !== 'string' && innerSpec.kind !== 'const' ? (
            <fieldset className="mt-2 rounded-md border border-slate-200 p-3">
              <legend className="px-1 text-xs font-medium text-slate-600">{label}</legend>
              {innerSpec.kind === 'object' ? (
                <ObjectFields
                  fields={innerSpec.fields}
                  draft={inner}
                  path={path}
                  problems={problems}
                  onChange={(next) => onChange({ kind: 'choice', variant: selected, inner: next })}
                />
              ) : (
                <HyperparameterField
                  spec={innerSpec}
                  draft={inner}
                  path={path}
                  label={label}
                  problems={problems}
                  onChange={(next) => onChange({ kind: 'choice', variant: selected, inner: next })}
                />
              )}
            </fieldset>
          ) : null}
          <FieldProblemText path={path} problem={problem} />
        </div>
      );
    }
    case 'object':
      return (
        <fieldset className="rounded-md border border-slate-200 p-3">
          <legend className="px-1 text-xs font-medium text-slate-600">{label}</legend>
          <ObjectFields fields={spec.fields} draft={draft} path={path} problems={problems} onChange={onChange} />
          <FieldProblemText path={path} problem={problem} />
        </fieldset>
      );
    case 'tuple': {
      const items = draft.kind === 'list' ? draft.items : [];
      return (
        <fieldset>
          <legend className="block text-xs font-medium text-slate-700">{label}</legend>
          <div className="flex gap-2">
            {spec.items.map((itemSpec, index) => (
              <div key={index} className="flex-1">
                <HyperparameterField
                  spec={itemSpec}
                  draft={items[index] ?? draftOf(itemSpec, undefined)}
                  path={joinPath(path, String(index))}
                  label={`${label} ${index + 1}`}
                  problems={problems}
                  onChange={(next) => {
                    const copy = spec.items.map((s, i) => items[i] ?? draftOf(s, undefined));
                    copy[index] = next;
                    onChange({ kind: 'list', items: copy });
                  }}
                />
              </div>
            ))}
          </div>
          <Hint id={id} text={hint} />
          <FieldProblemText path={path} problem={problem} />
        </fieldset>
      );
    }
    case 'array': {
      const items = draft.kind === 'list' ? draft.items : [];
      const full = spec.maxItems !== undefined && items.length >= spec.maxItems;
      const itemName = singular(label);
      return (
        <fieldset className="rounded-md border border-slate-200 p-3" data-testid="array-field" data-field={path}>
          <legend className="px-1 text-xs font-medium text-slate-600">{label}</legend>
          {items.length === 0 ? <p className="text-xs text-slate-600">None.</p> : null}
          <ol className="space-y-2">
            {items.map((item, index) => (
              <li key={index} className="flex items-end gap-3">
                <span className="pb-2 font-mono text-xs text-slate-600">{index + 1}.</span>
                <div className="flex-1">
                  {spec.item.kind === 'object' ? (
                    <ObjectFields
                      fields={spec.item.fields}
                      draft={item}
                      path={joinPath(path, String(index))}
                      problems={problems}
                      onChange={(next) => onChange({ kind: 'list', items: items.map((d, i) => (i === index ? next : d)) })}
                    />
                  ) : (
                    <HyperparameterField
                      spec={spec.item}
                      draft={item}
                      path={joinPath(path, String(index))}
                      label={`${itemName} ${index + 1}`}
                      problems={problems}
                      onChange={(next) => onChange({ kind: 'list', items: items.map((d, i) => (i === index ? next : d)) })}
                    />
                  )}
                </div>
                <button
                  type="button"
                  aria-label={`Remove ${itemName.toLowerCase()} ${index + 1}`}
                  onClick={() => onChange({ kind: 'list', items: items.filter((_, i) => i !== index) })}
                  className="mb-1 rounded px-2 py-1 text-xs font-medium text-red-700 ring-1 ring-red-200 hover:bg-red-50"
                >
                  Remove
                </button>
              </li>
            ))}
          </ol>
          <button
            type="button"
            disabled={full}
            onClick={() => onChange({ kind: 'list', items: [...items, draftOf(spec.item, spec.itemDefault)] })}
            className="mt-2 rounded-md px-2 py-1 text-xs font-medium text-sky-800 ring-1 ring-sky-200 hover:bg-sky-50 disabled:opacity-50"
          >
            Add {itemName.toLowerCase()}
          </button>
          {spec.maxItems !== undefined ? <span className="ml-2 text-xs text-slate-600">at most {spec.maxItems}</span> : null}
          <FieldProblemText path={path} problem={problem} />
        </fieldset>
      );
    }
  }
}

/** "Hidden layers" → "Hidden layer": what one item of a list is called on its buttons. */
function singular(label: string): string {
  return label.endsWith('s') ? label.slice(0, -1) : `${label} item`;
}

function Hint({ id, text }: { id: string; text?: string }) {
  if (!text) return null;
  return (
    <p id={`${id}-hint`} className="mt-0.5 text-xs text-slate-600">
      {text}
    </p>
  );
}
