'use client';

import { GATE_FIELDS, type PlanDraft } from '../../lib/deployment-view';

export { defaultPlanDraft, draftOfPlan, GATE_FIELDS, planOfDraft, type PlanDraft } from '../../lib/deployment-view';

const input = 'mt-1 block w-full rounded-md border border-slate-300 px-2 py-1.5 font-mono text-sm';

function FieldError({ errors, field }: { errors: Record<string, string>; field: string }) {
  const message = errors[field];
  return message ? (
    <span className="mt-0.5 block text-xs text-red-800" data-testid={`field-error-${field}`}>
      {message}
    </span>
  ) : null;
}

/** Steps, interval, minimum requests and gates; `errors` are keyed by the request's field path under `prefix`. */
export function PlanFields({
  draft,
  onChange,
  errors,
  prefix,
}: {
  draft: PlanDraft;
  onChange: (draft: PlanDraft) => void;
  errors: Record<string, string>;
  prefix: string;
}) {
  return (
    <fieldset className="space-y-3 rounded-md border border-slate-200 p-3" data-testid="plan-fields">
      <legend className="px-1 text-sm font-semibold text-slate-900">Rollout plan</legend>
      <div className="grid grid-cols-1 gap-3 sm:grid-cols-3">
        <label className="text-xs font-medium text-slate-700">
          Canary steps (% of traffic, increasing)
          <input className={input} name="plan-steps" value={draft.steps} onChange={(e) => onChange({ ...draft, steps: e.target.value })} />
          <FieldError errors={errors} field={`${prefix}.steps`} />
        </label>
        <label className="text-xs font-medium text-slate-700">
          Seconds between analyses
          <input
            className={input}
            name="plan-interval"
            inputMode="numeric"
            value={draft.intervalSeconds}
            onChange={(e) => onChange({ ...draft, intervalSeconds: e.target.value })}
          />
          <FieldError errors={errors} field={`${prefix}.intervalSeconds`} />
        </label>
        <label className="text-xs font-medium text-slate-700">
          Canary requests a step needs
          <input
            className={input}
            name="plan-min-requests"
            inputMode="numeric"
            value={draft.minRequestsPerStep}
            onChange={(e) => onChange({ ...draft, minRequestsPerStep: e.target.value })}
          />
          <FieldError errors={errors} field={`${prefix}.minRequestsPerStep`} />
        </label>
      </div>
      <div className="grid grid-cols-1 gap-3 sm:grid-cols-3">
        {GATE_FIELDS.map((gate) => (
          <label key={gate.key} className="text-xs font-medium text-slate-700">
            {gate.label}
            <input
              className={input}
              name={`gate-${gate.key}`}
              inputMode="decimal"
              placeholder="not checked"
              value={draft.gates[gate.key]}
              onChange={(e) => onChange({ ...draft, gates: { ...draft.gates, [gate.key]: e.target.value } })}
            />
            <span className="mt-0.5 block font-normal text-slate-600">{gate.hint}</span>
            <FieldError errors={errors} field={`${prefix}.gates.${gate.key}`} />
          </label>
        ))}
      </div>
    </fieldset>
  );
}
