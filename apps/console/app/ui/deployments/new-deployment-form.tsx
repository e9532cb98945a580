'use client';

import { useRouter } from 'next/navigation';
import { useRef, useState, type FormEvent } from 'react';
import { createDeploymentAction, type DeploymentActionOutcome } from '../../lib/deployment-actions';
import { defaultPlanDraft, PlanFields, planOfDraft } from './plan-fields';

export interface ModelChoice {
  name: string;
  aliases: { alias: string; version: number }[];
}

const input = 'mt-1 block w-full rounded-md border border-slate-300 px-2 py-1.5 font-mono text-sm';
const label = 'block text-xs font-medium text-slate-700';

/**
 * Deploy a model: a version or an alias (optionally followed, with what a move does), an optional rollout plan.
 * Changing the model reloads the page for its versions. Sent only after a confirm step.
 */
export function NewDeploymentForm({ models, model, versions }: { models: ModelChoice[]; model: string; versions: number[] }) {
  const router = useRouter();
  const chosen = models.find((m) => m.name === model);
  const [name, setName] = useState(
    model
      ? model
          .toLowerCase()
          .replace(/[^a-z0-9-]+/g, '-')
          .replace(/^-+|-+$/g, '')
          .slice(0, 64)
      : '',
  );
  const [description, setDescription] = useState('');
  const [target, setTarget] = useState<'version' | 'alias'>('version');
  const [version, setVersion] = useState(String(versions[0] ?? ''));
  const [alias, setAlias] = useState(chosen?.aliases[0]?.alias ?? '');
  const [followAlias, setFollowAlias] = useState(false);
  const [aliasPolicy, setAliasPolicy] = useState<'redeploy' | 'rollout'>('redeploy');
  const [withPlan, setWithPlan] = useState(false);
  const [plan, setPlan] = useState(defaultPlanDraft);
  const [confirming, setConfirming] = useState(false);
  const [sending, setSending] = useState(false);
  const [outcome, setOutcome] = useState<DeploymentActionOutcome | null>(null);
  const submission = useRef<{ body: string; key: string } | null>(null);

  const request = () => ({
    name,
    ...(description.trim() ? { description: description.trim() } : {}),
    model,
    ...(target === 'version' ? { version: Number(version) } : { alias, followAlias, aliasPolicy: followAlias ? aliasPolicy : 'redeploy' }),
    ...(withPlan || (target === 'alias' && followAlias && aliasPolicy === 'rollout') ? { rolloutPlan: planOfDraft(plan) } : {}),
  });
  const errors: Record<string, string> = {};
  if (outcome && !outcome.ok) for (const f of outcome.fields) errors[f.field] ??= f.message;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!confirming) {
      setOutcome(null);
      setConfirming(true);
      return;
    }
    const body = request();
    const text = JSON.stringify(body);
    // The same body keeps its key, so a double submit answers the first deployment instead of a conflict.
    if (submission.current?.body !== text) submission.current = { body: text, key: crypto.randomUUID() };
    setSending(true);
    const result = await createDeploymentAction(body, submission.current.key).finally(() => setSending(false));
    setOutcome(result);
    setConfirming(false);
    if (result.ok) router.push(`/deployments/${encodeURIComponent(result.deployment.name)}`);
  };

  return (
    <form onSubmit={submit} className="max-w-3xl space-y-4 rounded-lg border border-slate-200 bg-white p-4 shadow-sm" data-testid="new-deployment-form">
      <label className={label}>
        Model
        <select className={input} name="model" value={model} onChange={(e) => router.push(`/deployments/new?model=${encodeURIComponent(e.target.value)}`)}>
          <option value="">choose a model</option>
          {models.map((m) => (
            <option key={m.name} value={m.name}>
              {m.name}
            </option>
          ))}
        </select>
        {errors.model ? <span className="text-xs text-red-800">{errors.model}</span> : null}
      </label>
      {model ? (
        <>
          <div className="grid grid-cols-1 gap-3 sm:grid-cols-2">
            <label className={label}>
              Deployment name
              <input className={input} name="name" value={name} onChange={(e) => setName(e.target.value)} maxLength={64} />
              <span className="mt-0.5 block font-normal text-slate-600">lower-case letters, digits and &quot;-&quot;; it is the predict URL</span>
              {errors.name ? (
                <span className="text-xs text-red-800" data-testid="field-error-name">
                  {errors.name}
                </span>
              ) : null}
            </label>
            <label className={label}>
              Description (optional)
              <input className={input} name="description" value={description} onChange={(e) => setDescription(e.target.value)} maxLength={1000} />
            </label>
          </div>
          <fieldset className="space-y-2">
            <legend className="text-xs font-medium text-slate-700">Serve</legend>
            <div className="flex flex-wrap gap-4 text-sm">
              <label className="flex items-center gap-1">
                <input type="radio" name="target" checked={target === 'version'} onChange={() => setTarget('version')} /> a version
              </label>
              <label className="flex items-center gap-1">
                <input
                  type="radio"
                  name="target"
                  checked={target === 'alias'}
                  onChange={() => setTarget('alias')}
                  disabled={!chosen || chosen.aliases.length === 0}
                />{' '}
                an alias
              </label>
            </div>
            {target === 'version' ? (
              <label className={label}>
                Version
                <select className={`${input} w-40`} name="version" value={version} onChange={(e) => setVersion(e.target.value)}>
                  {versions.map((v) => (
                    <option key={v} value={v}>{`v${v}`}</option>
                  ))}
                </select>
                {versions.length === 0 ? <span className="text-xs text-amber-800">This model has no READY version to deploy.</span> : null}
                {errors.version ? <span className="text-xs text-red-800">{errors.version}</span> : null}
              </label>
            ) : (
              <div className="flex flex-wrap items-end gap-4">
                <label className={label}>
                  Alias
                  <select className={`${input} w-48`} name="alias" value={alias} onChange={(e) => setAlias(e.target.value)}>
                    {chosen?.aliases.map((a) => (
                      <option key={a.alias} value={a.alias}>{`@${a.alias} (v${a.version})`}</option>
                    ))}
                  </select>
                </label>
                <label className="flex items-center gap-1 text-sm">
                  <input type="checkbox" name="followAlias" checked={followAlias} onChange={(e) => setFollowAlias(e.target.checked)} /> keep following it
                </label>
                {followAlias ? (
                  <label className={label}>
                    When the alias moves
                    <select
                      className={`${input} w-64`}
                      name="aliasPolicy"
                      value={aliasPolicy}
                      onChange={(e) => setAliasPolicy(e.target.value === 'rollout' ? 'rollout' : 'redeploy')}
                    >
                      <option value="redeploy">serve the new version at once</option>
                      <option value="rollout">start the rollout plan with it</option>
                    </select>
                  </label>
                ) : null}
              </div>
            )}
          </fieldset>
          <label className="flex items-center gap-1 text-sm">
            <input
              type="checkbox"
              name="withPlan"
              checked={withPlan || (target === 'alias' && followAlias && aliasPolicy === 'rollout')}
              onChange={(e) => setWithPlan(e.target.checked)}
            />
            Give this deployment a rollout plan (used by alias moves and as the default of a rollout)
          </label>
          {withPlan || (target === 'alias' && followAlias && aliasPolicy === 'rollout') ? (
            <PlanFields draft={plan} onChange={setPlan} errors={errors} prefix="rolloutPlan" />
          ) : null}
        </>
      ) : null}

      {confirming ? (
        <div
          role="group"
          aria-labelledby="deploy-confirm"
          className="rounded-md border border-amber-300 bg-amber-50/60 p-3 text-sm"
          data-testid="deploy-confirm"
        >
          <p id="deploy-confirm" className="font-medium text-slate-900">
            {`Deploy ${model}${target === 'version' ? ` v${version}` : ` @${alias}`} as ${name}? It takes all of the deployment's traffic at once.`}
          </p>
        </div>
      ) : null}
      {outcome && !outcome.ok ? (
        <div role="alert" data-testid="deploy-error" className="rounded-md border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-900">
          {outcome.httpStatus ? <span className="font-mono text-xs">{`HTTP ${outcome.httpStatus}${outcome.code ? ` ${outcome.code}` : ''}: `}</span> : null}
          {outcome.message}
          {outcome.fields.length > 0 ? (
            <ul className="mt-1 list-disc pl-5 text-xs">
              {outcome.fields.map((f) => (
                <li key={`${f.field}:${f.message}`}>
                  <span className="font-mono">{f.field}</span>: {f.message}
                </li>
              ))}
            </ul>
          ) : null}
        </div>
      ) : null}
      <div className="flex gap-2">
        <button
          type="submit"
          disabled={!model || sending}
          className="rounded-md bg-slate-900 px-3 py-1.5 text-sm font-medium text-white hover:bg-slate-800 disabled:opacity-50"
        >
          {sending ? 'Deploying…' : confirming ? 'Confirm deploy' : 'Deploy…'}
        </button>
        {confirming ? (
          <button
            type="button"
            onClick={() => setConfirming(false)}
            className="rounded-md px-3 py-1.5 text-sm font-medium text-slate-800 ring-1 ring-slate-300 hover:bg-slate-100"
          >
            Cancel
          </button>
        ) : null}
      </div>
    </form>
  );
}
