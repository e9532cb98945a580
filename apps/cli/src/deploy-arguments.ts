/** Parsers for `slipway deploy` and `slipway predict`; each throws an Error whose message names the flag or the file position. */
import { readFileSync } from 'node:fs';
import { rolloutPlanSchema, stickyKeySchema, type RolloutGates, type RolloutPlan, type StickyKey } from '@slipway/contracts';
import { InvalidArgumentError } from 'commander';

/** `header:x-user` or `field:customer_id`: what a sticky canary hashes so one caller always sees one version. */
export function parseSticky(text: string): StickyKey {
  const colon = text.indexOf(':');
  const kind = colon < 0 ? '' : text.slice(0, colon);
  const name = text.slice(colon + 1);
  if ((kind !== 'header' && kind !== 'field') || name === '') throw new InvalidArgumentError(`expected header:<name> or field:<name>, got "${text}"`);
  const parsed = stickyKeySchema.safeParse(kind === 'header' ? { header: name } : { field: name });
  if (!parsed.success) throw new InvalidArgumentError(`${kind} "${name}": ${parsed.error.issues[0].message}`);
  return parsed.data;
}

export function formatSticky(sticky: StickyKey | null): string {
  if (!sticky) return 'random';
  return 'header' in sticky ? `sticky header:${sticky.header}` : `sticky field:${sticky.field}`;
}

/** A canary percent, 1..99 (0 is no canary, 100 is a promotion). */
export function parsePercent(text: string): number {
  const value = Number(text);
  if (!/^\d+$/.test(text) || value < 1 || value > 99) throw new InvalidArgumentError(`expected a whole percent from 1 to 99, got "${text}"`);
  return value;
}

/** A shadow percent, 1..100. */
export function parseShadowPercent(text: string): number {
  const value = Number(text);
  if (!/^\d+$/.test(text) || value < 1 || value > 100) throw new InvalidArgumentError(`expected a whole percent from 1 to 100, got "${text}"`);
  return value;
}

/** `10,25,50,100`: increasing whole percents. */
export function parseSteps(text: string): number[] {
  const parts = text.split(',').map((part) => part.trim());
  const steps = parts.map((part) => {
    const value = Number(part);
    if (!/^\d+$/.test(part) || value < 1 || value > 100) throw new InvalidArgumentError(`step "${part}" is not a whole percent from 1 to 100`);
    return value;
  });
  if (steps.some((step, i) => i > 0 && step <= steps[i - 1])) throw new InvalidArgumentError(`steps must increase, got ${text}`);
  return steps;
}

export function parseWholeNumber(text: string): number {
  const value = Number(text);
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(value)) throw new InvalidArgumentError(`expected a whole number ≥ 0, got "${text}"`);
  return value;
}

export function parseFiniteNumber(text: string): number {
  const value = Number(text);
  if (text.trim() === '' || !Number.isFinite(value)) throw new InvalidArgumentError(`expected a finite number, got "${text}"`);
  return value;
}

export function parseNonNegative(text: string): number {
  const value = Number(text);
  if (text.trim() === '' || !Number.isFinite(value) || value < 0) throw new InvalidArgumentError(`expected a number ≥ 0, got "${text}"`);
  return value;
}

/** The rollout flags, each optional; they win over the same fields of a `--plan` file. */
export interface PlanFlags {
  plan?: string;
  steps?: number[];
  interval?: number;
  minRequests?: number;
  maxErrorRate?: number;
  maxP99Ms?: number;
  maxP99Ratio?: number;
  maxInputDrift?: number;
  maxPredictionDrift?: number;
  minFeedback?: number;
}

/** Which rollout flag sets which field of the plan, so an API-side refusal of a field can be told as its flag. */
const GATE_FLAGS: [keyof PlanFlags, keyof RolloutGates, string][] = [
  ['maxErrorRate', 'maxErrorRate', '--max-error-rate'],
  ['maxP99Ms', 'maxP99LatencyMs', '--max-p99-ms'],
  ['maxP99Ratio', 'maxP99LatencyRatio', '--max-p99-ratio'],
  ['maxInputDrift', 'maxInputDrift', '--max-input-drift'],
  ['maxPredictionDrift', 'maxPredictionDrift', '--max-prediction-drift'],
  ['minFeedback', 'minFeedbackScore', '--min-feedback'],
];

/** A JSON or YAML document from a file; parse errors say line and column. */
export async function readDocument(file: string, what: string, text?: string): Promise<unknown> {
  let content = text;
  if (content === undefined) {
    try {
      content = readFileSync(file, 'utf8');
    } catch (error) {
      throw new Error(`${what} ${file}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message}`);
    }
  }
  if (/\.ya?ml$/i.test(file)) {
    const { parse } = await import('yaml');
    try {
      return parse(content);
    } catch (error) {
      throw new Error(`${what} ${file}: not valid YAML: ${(error as Error).message.split('\n')[0]}`);
    }
  }
  try {
    return JSON.parse(content);
  } catch (error) {
    throw new Error(`${what} ${file}: not valid JSON: ${jsonErrorAt(content, (error as Error).message)}`);
  }
}

/**
 * Where JSON text first breaks, as "line L column C: reason". Node 20's JSON.parse names a position for some
 * mistakes only ("Unexpected token ']', …" has none), so the position is found by a small scan of the text.
 */
export function jsonErrorAt(text: string, message: string): string {
  const reason = message.replace(/\s*\(line \d+ column \d+\)/, '').replace(/ in JSON at position \d+/, '');
  const stated = /at position (\d+)/.exec(message);
  const offset = stated ? Number(stated[1]) : firstJsonErrorOffset(text);
  if (offset === undefined) return reason;
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  const column = before.length - before.lastIndexOf('\n');
  return `line ${line} column ${column}: ${reason}`;
}

/** The offset of the first character a JSON reader cannot accept (text.length for a document cut short); undefined when the text is valid JSON. */
export function firstJsonErrorOffset(text: string): number | undefined {
  let i = 0;
  const fail = (at: number): never => {
    throw at;
  };
  const space = () => {
    while (i < text.length && ' \t\n\r'.includes(text[i])) i++;
  };
  const literal = (word: string) => {
    for (const ch of word) if (text[i++] !== ch) fail(i - 1);
  };
  const string = () => {
    i++;
    while (i < text.length && text[i] !== '"') {
      if (text.charCodeAt(i) < 0x20) fail(i);
      if (text[i] === '\\') {
        i++;
        if (text[i] === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 1, i + 5))) fail(i);
          i += 4;
        } else if (!'"\\/bfnrt'.includes(text[i] ?? '')) fail(i);
      }
      i++;
    }
    if (i >= text.length) fail(text.length);
    i++;
  };
  const value = (): void => {
    space();
    const ch = text[i];
    if (ch === '{' || ch === '[') {
      const close = ch === '{' ? '}' : ']';
      i++;
      space();
      if (text[i] === close) return void i++;
      for (;;) {
        if (ch === '{') {
          space();
          if (text[i] !== '"') fail(i);
          string();
          space();
          if (text[i] !== ':') fail(i);
          i++;
        }
        value();
        space();
        if (text[i] === ',') i++;
        else if (text[i] === close) return void i++;
        else fail(i);
      }
    }
    if (ch === '"') return string();
    if (ch === 't') return literal('true');
    if (ch === 'f') return literal('false');
    if (ch === 'n') return literal('null');
    const number = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/.exec(text.slice(i));
    i += number ? number[0].length : fail(i);
  };
  try {
    value();
    space();
    if (i < text.length) fail(i);
    return undefined;
  } catch (at) {
    if (typeof at !== 'number') throw at;
    return Math.min(at, text.length);
  }
}

/**
 * The rollout plan from `--plan plan.yaml` and the flags (flags win field by field, gates gate by gate), checked
 * against the API's own plan schema so a mistake names its flag or its field in the file before anything is sent.
 * Undefined when neither a file nor a flag says anything (the deployment's own plan applies).
 */
export async function buildRolloutPlan(flags: PlanFlags): Promise<RolloutPlan | undefined> {
  const file = flags.plan === undefined ? {} : await readDocument(flags.plan, '--plan');
  if (typeof file !== 'object' || file === null || Array.isArray(file))
    throw new Error(`--plan ${flags.plan}: expected an object (steps, intervalSeconds, gates, …)`);
  const fromFile = file as Record<string, unknown>;
  const gates: Record<string, unknown> = typeof fromFile.gates === 'object' && fromFile.gates !== null ? { ...(fromFile.gates as object) } : {};
  for (const [flag, gate] of GATE_FLAGS) if (flags[flag] !== undefined) gates[gate] = flags[flag];
  const anyFlag =
    flags.steps !== undefined || flags.interval !== undefined || flags.minRequests !== undefined || GATE_FLAGS.some(([f]) => flags[f] !== undefined);
  if (flags.plan === undefined && !anyFlag) return undefined;
  const merged: Record<string, unknown> = {
    ...fromFile,
    ...(flags.steps !== undefined ? { steps: flags.steps } : {}),
    ...(flags.interval !== undefined ? { intervalSeconds: flags.interval } : {}),
    ...(flags.minRequests !== undefined ? { minRequestsPerStep: flags.minRequests } : {}),
    ...(fromFile.gates !== undefined || Object.keys(gates).length > 0 ? { gates } : {}),
  };
  if (merged.steps === undefined) throw new Error('the rollout plan needs --steps (or steps in --plan)');
  if (merged.intervalSeconds === undefined) throw new Error('the rollout plan needs --interval (or intervalSeconds in --plan)');
  const parsed = rolloutPlanSchema.safeParse(merged);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const path = issue.path.join('.');
    throw new Error(`${flags.plan === undefined ? 'rollout plan' : `--plan ${flags.plan}`}: ${path || 'plan'}: ${issue.message}`);
  }
  return parsed.data;
}

/** `maxErrorRate ≤ 0.01, p99 ≤ 50 ms, …` for status output. */
export function formatGates(gates: RolloutGates): string {
  const parts: string[] = [];
  if (gates.maxErrorRate !== undefined) parts.push(`error rate ≤ ${gates.maxErrorRate}`);
  if (gates.maxP99LatencyMs !== undefined) parts.push(`p99 ≤ ${gates.maxP99LatencyMs} ms`);
  if (gates.maxP99LatencyRatio !== undefined) parts.push(`p99 ≤ ${gates.maxP99LatencyRatio}× stable`);
  if (gates.maxInputDrift !== undefined) parts.push(`input PSI ≤ ${gates.maxInputDrift}`);
  if (gates.maxPredictionDrift !== undefined) parts.push(`prediction PSI ≤ ${gates.maxPredictionDrift}`);
  if (gates.minFeedbackScore !== undefined) parts.push(`feedback ≥ ${gates.minFeedbackScore}`);
  return parts.length === 0 ? 'no gates' : parts.join(', ');
}

/**
 * The rows of `slipway predict -f`: a JSON array of rows (arrays of values in the model's column order, or objects
 * of named columns), or the request body itself (`{ "inputs": [...] }`). The serving process checks each row
 * against the version's input schema and names the field.
 */
export function parseRows(text: string, source: string): unknown[] {
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch (error) {
    throw new Error(`-f ${source}: not valid JSON: ${jsonErrorAt(text, (error as Error).message)}`);
  }
  const rows = Array.isArray(document)
    ? document
    : typeof document === 'object' && document !== null && Array.isArray((document as { inputs?: unknown }).inputs)
      ? (document as { inputs: unknown[] }).inputs
      : undefined;
  if (!rows) throw new Error(`-f ${source}: expected a JSON array of rows or { "inputs": [...] }`);
  if (rows.length === 0) throw new Error(`-f ${source}: no rows`);
  return rows;
}
