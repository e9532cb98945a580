/** Parsers for the CLI's option values; each throws an Error whose message is shown to the user. */
import { NON_FINITE_METRIC_VALUES, type MetricValue } from '@slipway/contracts';
import { InvalidArgumentError } from 'commander';

export interface KeyValue {
  key: string;
  value: string;
}

export function parseKeyValue(text: string): KeyValue {
  const at = text.indexOf('=');
  if (at <= 0) throw new InvalidArgumentError(`expected key=value, got "${text}"`);
  return { key: text.slice(0, at), value: text.slice(at + 1) };
}

export interface MetricArgument {
  key: string;
  /** A finite number, or the API's words for a diverged value. */
  value: MetricValue;
  step: number;
}

/** `f1=0.91` or `loss=0.3@12` (value at step 12). */
export function parseMetric(text: string): MetricArgument {
  const { key, value: rest } = parseKeyValue(text);
  const [valueText, stepText] = rest.split('@');
  const word = NON_FINITE_METRIC_VALUES.find((w) => w === valueText.trim());
  const value = word ?? Number(valueText);
  if (word === undefined && (valueText.trim() === '' || !Number.isFinite(value)))
    throw new InvalidArgumentError(`metric ${key}: "${valueText}" is not a finite number, NaN, Infinity or -Infinity`);
  const step = stepText === undefined ? 0 : Number(stepText);
  if (!Number.isInteger(step) || step < 0) throw new InvalidArgumentError(`metric ${key}: step "${stepText}" is not a whole number ≥ 0`);
  return { key, value, step };
}

/** `model.bin` (stored under its file name) or `out/model.bin:model/weights.bin`. */
export function parseFileArgument(text: string): { file: string; path: string } {
  const colon = text.lastIndexOf(':');
  // A colon right after a drive letter (C:\…) is part of the file, not a separator.
  const hasTarget = colon > 1 && colon < text.length - 1;
  const file = hasTarget ? text.slice(0, colon) : text;
  const path = hasTarget ? text.slice(colon + 1) : (file.split(/[\\/]/).pop() ?? file);
  if (!file || !path) throw new InvalidArgumentError(`expected <file>[:<path>], got "${text}"`);
  return { file, path };
}

/** `fraud:3`, `fraud@3` or `fraud/3`. */
export function parseVersionArgument(text: string): { model: string; version: number } {
  const match = /^(.+)[:@/](\d+)$/.exec(text);
  if (!match) throw new InvalidArgumentError(`expected <model>:<version>, got "${text}"`);
  return { model: match[1], version: Number(match[2]) };
}

export function parsePositiveInt(text: string): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1) throw new InvalidArgumentError(`expected a whole number ≥ 1, got "${text}"`);
  return value;
}

/**
 * Collects repeated `--tag key=value` into the tags object the API takes. A key given twice is refused rather
 * than silently keeping one of the two values.
 */
export function collectTags(text: string, previous: Record<string, string> = {}): Record<string, string> {
  const { key, value } = parseKeyValue(text);
  if (Object.hasOwn(previous, key)) throw new InvalidArgumentError(`tag "${key}" given twice`);
  return { ...previous, [key]: value };
}

/** Commander's collector for repeatable options. */
export function collect<T>(parse: (text: string) => T) {
  return (text: string, previous: T[] = []): T[] => [...previous, parse(text)];
}
