'use client';

import { useState } from 'react';
import { boundsText } from '../../lib/hyperparameter-form';
import { choiceText, dimensionPath, draftForParam, type DimensionDraft, type DimensionType, type TunableParam } from '../../lib/studies/search-space-draft';
import { describedByOf, fieldBorder, FieldProblemText, fieldId } from '../forms/field-problem';
import { SelectField } from '../forms/form-fields';

const inputClass = 'mt-1 w-full rounded-md border px-2 py-1.5 font-mono text-sm';
const small = 'rounded-md px-2 py-1 text-xs font-medium ring-1 ring-inset';

/**
 * One row per searched hyper-parameter: int or float ranges (log scale, step) or categorical choices as tags, and
 * an optional condition on a categorical parameter. The parameters offered are the algorithm's own (from its
 * JSON Schema), each new row pre-filled inside the schema's bounds.
 */
export function SearchSpaceEditor({
  rows,
  params,
  problems,
  onChange,
}: {
  rows: DimensionDraft[];
  params: TunableParam[];
  problems: ReadonlyMap<string, string>;
  onChange: (rows: DimensionDraft[]) => void;
}) {
  const used = new Set(rows.map((r) => r.name));
  const available = params.filter((p) => !used.has(p.name));
  const [adding, setAdding] = useState('');
  const toAdd = available.some((p) => p.name === adding) ? adding : (available[0]?.name ?? '');
  const update = (index: number, patch: Partial<DimensionDraft>) => onChange(rows.map((r, i) => (i === index ? { ...r, ...patch } : r)));
  const spaceProblem = problems.get('searchSpace');
  return (
    <div data-testid="search-space">
      {rows.length === 0 ? (
        <p className="mb-3 text-sm text-slate-600" data-testid="search-space-empty">
          No parameter searched yet: add the hyper-parameters the study should vary.
        </p>
      ) : null}
      <ul className="space-y-3">
        {rows.map((row, index) => (
          <li key={row.key}>
            <DimensionRow
              row={row}
              index={index}
              rows={rows}
              param={params.find((p) => p.name === row.name)}
              params={params}
              problems={problems}
              onChange={(patch) => update(index, patch)}
              onRemove={() =>
                onChange(
                  rows
                    .filter((_, i) => i !== index)
                    // A condition on the removed parameter has nothing left to test.
                    .map((r) => (r.whenParam === row.name ? { ...r, whenParam: '', whenIn: [] } : r)),
                )
              }
            />
          </li>
        ))}
      </ul>
      <div className="mt-3 flex flex-wrap items-end gap-2">
        <SelectField
          path="searchSpace"
          label="Parameter to add"
          value={toAdd}
          onChange={setAdding}
          disabled={available.length === 0}
          problem={spaceProblem}
          problemShownElsewhere
          className="w-56 font-mono"
        >
          {available.length === 0 ? <option value="">every parameter is in the space</option> : null}
          {available.map((p) => (
            <option key={p.name} value={p.name}>
              {p.name}
            </option>
          ))}
        </SelectField>
        <button
          type="button"
          disabled={toAdd === ''}
          onClick={() => {
            onChange([
              ...rows,
              draftForParam(
                params.find((p) => p.name === toAdd),
                toAdd,
              ),
            ]);
            setAdding('');
          }}
          className={`${small} py-1.5 text-slate-900 ring-slate-300 hover:bg-slate-100 disabled:opacity-50`}
        >
          Add parameter
        </button>
      </div>
      <FieldProblemText path="searchSpace" problem={spaceProblem} />
    </div>
  );
}

function DimensionRow({
  row,
  index,
  rows,
  param,
  params,
  problems,
  onChange,
  onRemove,
}: {
  row: DimensionDraft;
  index: number;
  rows: DimensionDraft[];
  param: TunableParam | undefined;
  params: TunableParam[];
  problems: ReadonlyMap<string, string>;
  onChange: (patch: Partial<DimensionDraft>) => void;
  onRemove: () => void;
}) {
  const path = dimensionPath(row, index);
  const [tag, setTag] = useState('');
  const name = row.name || `parameter ${index + 1}`;
  const parents = rows.filter((r) => r.key !== row.key && r.type === 'categorical' && r.whenParam === '' && r.name !== '');
  const parent = rows.find((r) => r.name === row.whenParam);
  const addTag = () => {
    const value = tag.trim();
    if (value === '' || row.choices.includes(value)) return;
    onChange({ choices: [...row.choices, value] });
    setTag('');
  };
  const problem = (suffix: string) => problems.get(suffix === '' ? path : `${path}.${suffix}`);
  const id = (suffix: string) => fieldId(suffix === '' ? path : `${path}.${suffix}`);
  const numberInput = (field: 'low' | 'high' | 'step', label: string, hint?: string) => (
    <div>
      <label htmlFor={id(field)} className="block text-xs font-medium text-slate-700">
        {label}
      </label>
      <input
        id={id(field)}
        value={row[field]}
        autoComplete="off"
        inputMode="decimal"
        aria-invalid={problem(field) ? true : undefined}
        aria-describedby={describedByOf(id(field), problem(field), hint !== undefined && hint !== '')}
        onChange={(event) => onChange({ [field]: event.target.value })}
        className={`${inputClass} w-28 ${fieldBorder(problem(field))}`}
      />
      {hint ? (
        <p id={`${id(field)}-hint`} className="mt-0.5 text-xs text-slate-600">
          {hint}
        </p>
      ) : null}
      <FieldProblemText path={`${path}.${field}`} problem={problem(field)} />
    </div>
  );
  return (
    <fieldset className="rounded-md border border-slate-200 p-3" data-testid="dimension-row" data-param={row.name} data-type={row.type}>
      <legend className="px-1 font-mono text-sm font-semibold text-slate-900">{name}</legend>
      <div className="flex flex-wrap items-start gap-3">
        <SelectField
          path={path}
          label="Parameter"
          value={row.name}
          problem={problem('')}
          onChange={(value) =>
            onChange({
              ...draftForParam(
                params.find((p) => p.name === value),
                value,
              ),
              key: row.key,
            })
          }
          className="w-44 font-mono"
        >
          {params
            .filter((p) => p.name === row.name || !rows.some((r) => r.name === p.name))
            .map((p) => (
              <option key={p.name} value={p.name}>
                {p.name}
              </option>
            ))}
          {param === undefined ? <option value={row.name}>{row.name || 'choose'}</option> : null}
        </SelectField>
        <SelectField
          path={`${path}.type`}
          label="Type"
          value={row.type}
          problem={problem('type')}
          onChange={(value) => {
            const type = value as DimensionType;
            const fresh = draftForParam(param, row.name);
            // Switching type keeps what fits: ranges between int and float, fresh choices for categorical.
            onChange(
              type === 'categorical'
                ? { type, choices: row.choices.length > 0 ? row.choices : param ? param.choices.map(choiceText) : [] }
                : { type, low: row.low || fresh.low, high: row.high || fresh.high },
            );
          }}
          className="w-32 font-mono"
        >
          <option value="int">int</option>
          <option value="float">float</option>
          <option value="categorical">categorical</option>
        </SelectField>
        {row.type === 'categorical' ? (
          <div className="min-w-64 flex-1">
            <label htmlFor={id('choices')} className="block text-xs font-medium text-slate-700">
              Choices
            </label>
            <ul className="mt-1 flex flex-wrap gap-1.5" data-testid="choice-tags" aria-label={`Choices of ${name}`}>
              {row.choices.map((choice) => (
                <li
                  key={choice}
                  className="inline-flex items-center gap-1 rounded-full bg-slate-100 px-2 py-0.5 font-mono text-xs ring-1 ring-inset ring-slate-300"
                  data-testid="choice-tag"
                >
                  {choice}
                  <button
                    type="button"
                    onClick={() =>
                      onChange({
                        choices: row.choices.filter((c) => c !== choice),
                      })
                    }
                    aria-label={`Remove choice ${choice} of ${name}`}
                    className="text-slate-600 hover:text-red-700"
                  >
                    ×
                  </button>
                </li>
              ))}
            </ul>
            <div className="mt-1 flex gap-2">
              <input
                id={id('choices')}
                value={tag}
                autoComplete="off"
                placeholder="type a value, Enter to add"
                aria-invalid={problem('choices') ? true : undefined}
                aria-describedby={problem('choices') ? `${id('choices')}-problem` : undefined}
                onChange={(event) => setTag(event.target.value)}
                onKeyDown={(event) => {
                  if (event.key === 'Enter' || event.key === ',') {
                    event.preventDefault();
                    addTag();
                  }
                }}
                className={`${inputClass} mt-0 w-48 ${fieldBorder(problem('choices'))}`}
              />
              <button type="button" onClick={addTag} className={`${small} text-slate-900 ring-slate-300 hover:bg-slate-100`}>
                Add choice
              </button>
            </div>
            {param && param.choices.length > 0 ? (
              <p className="mt-0.5 text-xs text-slate-600">
                allowed: {param.choices.map(choiceText).join(', ')}
                {param.number ? `, or a number ${boundsText(param.number)}` : ''}
              </p>
            ) : null}
            <FieldProblemText path={`${path}.choices`} problem={problem('choices')} />
          </div>
        ) : (
          <>
            {numberInput('low', 'Low', param?.number ? `allowed ${boundsText(param.number)}` : undefined)}
            {numberInput('high', 'High')}
            {numberInput('step', 'Step (optional)')}
            <div className="pt-5">
              <label className="flex items-center gap-1.5 text-sm">
                <input
                  id={id('log')}
                  type="checkbox"
                  checked={row.log}
                  onChange={(event) => onChange({ log: event.target.checked })}
                  className="h-4 w-4 rounded border-slate-300"
                  aria-describedby={problem('log') ? `${id('log')}-problem` : undefined}
                />
                Log scale
              </label>
              <FieldProblemText path={`${path}.log`} problem={problem('log')} />
            </div>
          </>
        )}
        <SelectField
          path={`${path}.when.param`}
          label="Only when"
          value={row.whenParam}
          problem={problem('when.param')}
          onChange={(value) => onChange({ whenParam: value, whenIn: [] })}
          className="w-40 font-mono"
        >
          <option value="">always</option>
          {parents.map((p) => (
            <option key={p.key} value={p.name}>
              {p.name} is …
            </option>
          ))}
          {row.whenParam !== '' && !parents.some((p) => p.name === row.whenParam) ? <option value={row.whenParam}>{row.whenParam} is …</option> : null}
        </SelectField>
        {row.whenParam !== '' ? (
          <fieldset id={id('when.in')} aria-describedby={problem('when.in') ? `${id('when.in')}-problem` : undefined}>
            <legend className="block text-xs font-medium text-slate-700">{row.whenParam} values</legend>
            <div className="mt-1 flex flex-wrap gap-x-3 gap-y-1">
              {(parent?.choices ?? []).map((choice) => (
                <label key={choice} className="flex items-center gap-1 font-mono text-xs">
                  <input
                    type="checkbox"
                    checked={row.whenIn.includes(choice)}
                    onChange={(event) => onChange({ whenIn: event.target.checked ? [...row.whenIn, choice] : row.whenIn.filter((c) => c !== choice) })}
                    className="h-3.5 w-3.5 rounded border-slate-300"
                  />
                  {choice}
                </label>
              ))}
            </div>
            <FieldProblemText path={`${path}.when.in`} problem={problem('when.in')} />
          </fieldset>
        ) : null}
        <div className="ml-auto pt-5">
          <button
            type="button"
            onClick={onRemove}
            className={`${small} text-red-700 ring-red-300 hover:bg-red-50`}
            aria-label={`Remove ${name} from the search space`}
          >
            Remove
          </button>
        </div>
      </div>
      {param?.description ? <p className="mt-1 text-xs text-slate-600">{param.description}</p> : null}
    </fieldset>
  );
}
