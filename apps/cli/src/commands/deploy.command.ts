import { DeploymentConflictError, type DeploymentActionRoute, type DeploymentEventView, type SlipwayClient } from '@slipway/client';
import type { DeploymentMetricsView, DeploymentRevisionView, DeploymentView, StickyKey } from '@slipway/contracts';
import { Option, type Command } from 'commander';
import { parsePositiveInt } from '../arguments';
import type { CliContext } from '../cli-context';
import { CliExit } from '../cli-exit';
import {
  buildRolloutPlan,
  formatGates,
  formatSticky,
  parseFiniteNumber,
  parseNonNegative,
  parsePercent,
  parseShadowPercent,
  parseSteps,
  parseSticky,
  parseWholeNumber,
  type PlanFlags,
} from '../deploy-arguments';
import { formatTable, formatTime } from '../table';

/** Exit codes of the deploy actions: `rollout --wait` by how the rollout ended; 3 for an action based on a stale revision. */
export const DEPLOY_EXIT_CODES = { PROMOTED: 0, ROLLED_BACK: 1, ABORTED: 2, CONFLICT: 3, INTERRUPTED: 130 } as const;

interface ActionFlags {
  revision?: number;
  reason?: string;
  json?: boolean;
}

/** `v1 90% | v2 10% canary (random)  shadow v3 100%`. */
export function trafficText(revision: DeploymentRevisionView): string {
  const { stable, canary, shadow } = revision;
  const split = canary
    ? `v${stable.version} ${100 - canary.percent}% stable | v${canary.version} ${canary.percent}% canary (${formatSticky(canary.sticky)})`
    : `v${stable.version} 100% stable`;
  return shadow ? `${split}; shadow v${shadow.version} gets a copy of ${shadow.percent}%` : split;
}

/** `revision 4 (PROMOTE by alice, 2026-12-01 20:58): why`. */
export function revisionText(revision: DeploymentRevisionView): string {
  const reason = revision.reason ? `: ${revision.reason}` : '';
  return `revision ${revision.revision} (${revision.action} by ${revision.createdBy ?? 'the platform'}, ${formatTime(revision.createdAt)})${reason}`;
}

export function rolloutText(deployment: DeploymentView): string | null {
  const { rollout, revision } = deployment;
  if (!rollout) return null;
  const plan = revision.rolloutPlan;
  const steps = rollout.steps.map((percent, i) => (i === rollout.step ? `[${percent}%]` : `${percent}%`)).join(' → ');
  const gates = plan ? `; gates: ${formatGates(plan.gates)}; at least ${plan.minRequestsPerStep} canary requests a step, every ${plan.intervalSeconds} s` : '';
  return `rollout step ${rollout.step + 1}/${rollout.steps.length}: ${steps} → promote; step since ${formatTime(rollout.stepStartedAt)}, next analysis ${rollout.nextAnalysisAt}${gates}`;
}

function statusLines(deployment: DeploymentView): string[] {
  const follows = deployment.trackedAlias ? `; follows ${deployment.model}@${deployment.trackedAlias} (${deployment.aliasPolicy})` : '';
  const lines = [
    `${deployment.name} ${deployment.status}: model ${deployment.model}${follows}`,
    revisionText(deployment.revision),
    `traffic: ${trafficText(deployment.revision)}`,
  ];
  const rollout = rolloutText(deployment);
  if (rollout) lines.push(rollout);
  return lines;
}

/** `v1 stable: 120 requests, 0.8% errors, p99 3.2 ms` per version and role that had traffic in the range. */
export function trafficLines(metrics: DeploymentMetricsView): string[] {
  return metrics.series
    .filter((series) => series.totals.requests > 0)
    .map((series) => {
      const { requests, errorRate, p99Ms } = series.totals;
      const errors = errorRate === null ? '-' : `${Number((errorRate * 100).toPrecision(3))}%`;
      return `v${series.version ?? '?'} ${series.role}: ${requests} requests, ${errors} errors, p99 ${p99Ms === null ? '-' : `${Number(p99Ms.toPrecision(3))} ms`}`;
    });
}

function eventLine(event: DeploymentEventView): string {
  return `${formatTime(event.createdAt)}  ${event.type}${event.revision === null ? '' : ` (revision ${event.revision})`}: ${event.message}${event.data ? ` ${JSON.stringify(event.data)}` : ''}`;
}

/** What a 409 on a stale revision tells people: who won, and what the deployment is now. */
export function conflictText(conflict: DeploymentConflictError): string {
  const current = conflict.current;
  return [`changed meanwhile by ${current.revision.createdBy ?? 'the platform'}: now ${revisionText(current.revision)}`, ...statusLines(current).slice(2)].join(
    '\n',
  );
}

/** Sends one action; a stale revision prints the current state and exits 3, so scripts can tell it from other failures. */
async function act(ctx: CliContext, name: string, action: DeploymentActionRoute, body: Record<string, unknown>, flags: ActionFlags): Promise<DeploymentView> {
  const request = {
    ...body,
    ...(flags.reason !== undefined ? { reason: flags.reason } : {}),
    ...(flags.revision !== undefined ? { baseRevision: flags.revision } : {}),
  };
  try {
    return await ctx.api().deployments.act(name, action, request as never);
  } catch (error) {
    if (!(error instanceof DeploymentConflictError)) throw error;
    ctx.note(`error: ${action} of ${name} based on a stale revision: ${conflictText(error)}`);
    if (flags.json) ctx.json(error.current);
    throw new CliExit(DEPLOY_EXIT_CODES.CONFLICT);
  }
}

function show(ctx: CliContext, deployment: DeploymentView, json: boolean | undefined): void {
  if (json) return ctx.json(deployment);
  for (const line of statusLines(deployment)) ctx.out(line);
}

async function watchRollout(ctx: CliContext, api: SlipwayClient, name: string, json: boolean | undefined, intervalMs: number): Promise<never> {
  const interrupt = new AbortController();
  const onSigint = () => interrupt.abort(new CliExit(DEPLOY_EXIT_CODES.INTERRUPTED));
  process.once('SIGINT', onSigint);
  try {
    const { deployment, outcome } = await api.deployments.waitForRollout(name, {
      intervalMs,
      signal: interrupt.signal,
      onEvent: (event) => ctx.note(eventLine(event)),
    });
    show(ctx, deployment, json);
    if (outcome !== 'PROMOTED') ctx.note(`rollout of ${name} ${outcome === 'ROLLED_BACK' ? 'rolled back' : 'ended without a promotion'}`);
    throw new CliExit(DEPLOY_EXIT_CODES[outcome]);
  } catch (error) {
    if (error instanceof CliExit && error.exitCode === DEPLOY_EXIT_CODES.INTERRUPTED)
      ctx.note(`stopped watching; the rollout of ${name} goes on (slipway deploy status ${name})`);
    throw error;
  } finally {
    process.removeListener('SIGINT', onSigint);
  }
}

const revisionOption = () =>
  new Option('--revision <n>', 'the revision this action is based on (default: the current one, read first)').argParser(parsePositiveInt);
const reasonOption = () => new Option('--reason <text>', 'why (kept in the revision, the event and the audit log)');

function planOptions(command: Command): Command {
  return command
    .option('--plan <plan.yaml|plan.json>', 'the rollout plan as a file: steps, intervalSeconds, minRequestsPerStep, gates (flags win over it)')
    .option('--steps <a,b,…>', 'canary percent per step, increasing, e.g. 10,25,50,100', parseSteps)
    .option('--interval <seconds>', 'seconds between analyses of a step', parsePositiveInt)
    .option('--min-requests <n>', 'canary requests a step needs before it can pass (default 100)', parseWholeNumber)
    .option('--max-error-rate <rate>', "gate: the canary's largest error rate, 0..1", parseNonNegative)
    .option('--max-p99-ms <ms>', "gate: the canary's largest p99 latency", parseNonNegative)
    .option('--max-p99-ratio <ratio>', "gate: the canary's largest p99 relative to stable's (1.5 = 50% slower)", parseNonNegative)
    .option('--max-input-drift <psi>', "gate: largest PSI of an input feature against the version's training profile", parseNonNegative)
    .option('--max-prediction-drift <psi>', "gate: largest PSI of the canary's predictions against stable's", parseNonNegative)
    .option('--min-feedback <score>', 'gate: smallest mean feedback score of canary predictions', parseFiniteNumber);
}

export function registerDeployCommands(program: Command, ctx: CliContext): void {
  const deploy = program
    .command('deploy')
    .description('deployments: serve a model version, canary, shadow, metric-gated rollouts, promote, roll back (exit 3: changed meanwhile)');

  planOptions(
    deploy
      .command('create')
      .description('deploy a READY version (or what an alias points at) as revision 1')
      .argument('<name>', 'deployment name: lower-case letters, digits and "-"')
      .requiredOption('--model <name>', 'the model')
      .option('--version <n>', 'the version to serve', parsePositiveInt)
      .option('--alias <alias>', 'serve what this alias points at now')
      .option('--follow', 'keep following --alias: moving it acts per --policy')
      .addOption(new Option('--policy <policy>', 'what moving a followed alias does').choices(['redeploy', 'rollout']))
      .option('--description <text>', 'what the deployment is for'),
  )
    .addOption(reasonOption())
    .option('--json', 'print the deployment as JSON')
    .action(
      async (
        name: string,
        options: PlanFlags & {
          model: string;
          version?: number;
          alias?: string;
          follow?: boolean;
          policy?: string;
          description?: string;
          reason?: string;
          json?: boolean;
        },
      ) => {
        if ((options.version === undefined) === (options.alias === undefined)) throw new Error('give exactly one of --version and --alias');
        if (options.follow && options.alias === undefined) throw new Error('--follow needs --alias');
        const rolloutPlan = await buildRolloutPlan(options);
        if (options.policy === 'rollout' && !rolloutPlan) throw new Error('--policy rollout needs a rollout plan (--plan or --steps and --interval)');
        const created = await ctx.api().deployments.create({
          name,
          model: options.model,
          ...(options.version !== undefined ? { version: options.version } : { alias: options.alias }),
          ...(options.follow ? { followAlias: true } : {}),
          ...(options.policy ? { aliasPolicy: options.policy as 'redeploy' | 'rollout' } : {}),
          ...(rolloutPlan ? { rolloutPlan } : {}),
          ...(options.description !== undefined ? { description: options.description } : {}),
          ...(options.reason !== undefined ? { reason: options.reason } : {}),
        } as never);
        show(ctx, created, options.json);
      },
    );

  deploy
    .command('list')
    .description('deployments, newest first')
    .option('--model <name>', 'only those of this model')
    .addOption(new Option('--status <status>', 'only those in this status').choices(['ACTIVE', 'ROLLING_OUT', 'PAUSED', 'DELETED']))
    .option('--json', 'print the deployments as JSON')
    .action(async (options: { model?: string; status?: DeploymentView['status']; json?: boolean }) => {
      const deployments: DeploymentView[] = [];
      for await (const d of ctx
        .api()
        .deployments.listAll({ ...(options.model ? { model: options.model } : {}), ...(options.status ? { status: options.status } : {}) }))
        deployments.push(d);
      if (options.json) return ctx.json(deployments);
      ctx.io.stdout.write(
        formatTable(
          ['NAME', 'STATUS', 'MODEL', 'REVISION', 'TRAFFIC', 'UPDATED'],
          deployments.map((d) => [d.name, d.status, d.model, d.currentRevision, trafficText(d.revision), formatTime(d.updatedAt)]),
        ),
      );
    });

  deploy
    .command('status')
    .description('the current revision, traffic split, rollout progress (step, gates, next analysis) and the last events')
    .argument('<name>', 'deployment name')
    .option('--events <n>', 'how many recent events to show (default 10)', parsePositiveInt, 10)
    .option('--json', 'print { deployment, events, metrics } as JSON')
    .action(async (name: string, options: { events: number; json?: boolean }) => {
      const api = ctx.api();
      const [deployment, { events }, metrics] = await Promise.all([
        api.deployments.get(name),
        api.deployments.events(name, { limit: Math.min(options.events, 500) }),
        api.deployments.metrics(name),
      ]);
      if (options.json) return ctx.json({ deployment, events, metrics });
      show(ctx, deployment, false);
      const traffic = trafficLines(metrics);
      if (traffic.length > 0) {
        ctx.out('traffic over the last 15 minutes:');
        for (const line of traffic) ctx.out(`  ${line}`);
      }
      if (events.length > 0) {
        ctx.out('events (newest first):');
        for (const event of events) ctx.out(`  ${eventLine(event)}`);
      }
    });

  deploy
    .command('history')
    .description('the revision history, newest first: what each action served, who, when and why')
    .argument('<name>', 'deployment name')
    .option('--json', 'print the revisions as JSON')
    .action(async (name: string, options: { json?: boolean }) => {
      const { revisions } = await ctx.api().deployments.revisions(name, { limit: 200 });
      if (options.json) return ctx.json(revisions);
      ctx.io.stdout.write(
        formatTable(
          ['REVISION', 'ACTION', 'TRAFFIC', 'BY', 'AT', 'REASON'],
          revisions.map((r) => [r.revision, r.action, trafficText(r), r.createdBy, formatTime(r.createdAt), r.reason]),
        ),
      );
    });

  deploy
    .command('canary')
    .description('send a percent of traffic to another READY version (random, or sticky by a header or an input field)')
    .argument('<name>', 'deployment name')
    .requiredOption('--version <n>', 'the canary version', parsePositiveInt)
    .requiredOption('--percent <p>', 'its share of traffic, 1..99', parsePercent)
    .option('--sticky <header:name|field:name>', 'hash this request header or input field, so one caller always sees one version', parseSticky)
    .addOption(revisionOption())
    .addOption(reasonOption())
    .option('--json', 'print the deployment as JSON')
    .action(async (name: string, options: ActionFlags & { version: number; percent: number; sticky?: StickyKey }) => {
      const body = { version: options.version, percent: options.percent, ...(options.sticky ? { sticky: options.sticky } : {}) };
      show(ctx, await act(ctx, name, 'canary', body, options), options.json);
    });

  planOptions(
    deploy
      .command('rollout')
      .description("start a metric-gated rollout of a READY version (the deployment's own plan unless one is given)")
      .argument('<name>', 'deployment name')
      .requiredOption('--version <n>', 'the version to roll out', parsePositiveInt),
  )
    .option('--sticky <header:name|field:name>', 'route the canary steps by this key', parseSticky)
    .option('--wait', 'follow the rollout, printing each analysis event; exit 0 promoted, 1 rolled back, 2 aborted, 130 interrupted')
    .option('--poll <ms>', 'with --wait: pause between polls', parsePositiveInt, 2000)
    .addOption(revisionOption())
    .addOption(reasonOption())
    .option('--json', 'print the deployment as JSON (with --wait: as it ended)')
    .action(async (name: string, options: PlanFlags & ActionFlags & { version: number; sticky?: StickyKey; wait?: boolean; poll: number }) => {
      const plan = await buildRolloutPlan(options);
      const body = { version: options.version, ...(plan ? { plan } : {}), ...(options.sticky ? { sticky: options.sticky } : {}) };
      const started = await act(ctx, name, 'rollout', body, options);
      if (!options.wait) return show(ctx, started, options.json);
      for (const line of statusLines(started)) ctx.note(line);
      ctx.note('following the rollout (Ctrl-C stops watching, not the rollout)');
      await watchRollout(ctx, ctx.api(), name, options.json, options.poll);
    });

  deploy
    .command('shadow')
    .description('mirror a percent of traffic to a READY version (it never answers; its latency and predictions are recorded), or stop with --off')
    .argument('<name>', 'deployment name')
    .option('--version <n>', 'the shadow version', parsePositiveInt)
    .option('--percent <p>', 'the share of traffic copied to it, 1..100 (default 100)', parseShadowPercent)
    .option('--off', 'stop shadowing')
    .addOption(revisionOption())
    .addOption(reasonOption())
    .option('--json', 'print the deployment as JSON')
    .action(async (name: string, options: ActionFlags & { version?: number; percent?: number; off?: boolean }) => {
      if (Boolean(options.off) === (options.version !== undefined)) throw new Error('give --version (to shadow it) or --off (to stop shadowing)');
      if (options.off && options.percent !== undefined) throw new Error('--percent goes with --version, not --off');
      const body = options.off ? { version: null } : { version: options.version, ...(options.percent !== undefined ? { percent: options.percent } : {}) };
      show(ctx, await act(ctx, name, 'shadow', body, options), options.json);
    });

  const simple: [DeploymentActionRoute, string][] = [
    ['promote', 'make the canary the stable version'],
    ['rollback', 'drop the canary when there is one, else serve the previous stable version again'],
    ['abort', 'stop a canary or rollout where it is: stable serves all traffic'],
  ];
  for (const [action, description] of simple) {
    deploy
      .command(action)
      .description(description)
      .argument('<name>', 'deployment name')
      .addOption(revisionOption())
      .addOption(reasonOption())
      .option('--json', 'print the deployment as JSON')
      .action(async (name: string, options: ActionFlags) => show(ctx, await act(ctx, name, action, {}, options), options.json));
  }
}
