import { z } from 'zod';
import { text } from './primitives';

/**
 * Tags on runs, experiments, models and versions: one shape everywhere, a JSON object of string to string
 * (`{ team: 'fraud' }`). An object cannot carry a key twice, so there is no "which duplicate wins" rule.
 */
export const TAG_LIMITS = {
  /** The tag tables' key columns are varchar(256); 250 leaves room and matches the tracking key limit. */
  keyLength: 250,
  valueLength: 5000,
  /** Per request: a whole set (registry, experiments) or one run's create / log-batch. */
  tagsPerRequest: 100,
} as const;

/** Keys appear in run filters (`tags.team = 'x'`) and URLs, so they keep to a small, printable alphabet. */
const TAG_KEY = /^[\w.\-/: ]+$/;

export const tagKeySchema = z
  .string()
  .min(1)
  .max(TAG_LIMITS.keyLength)
  .regex(TAG_KEY, 'letters, digits, space and _ . - / :')
  .refine((key) => key.trim() === key, 'no leading or trailing spaces');

/** Postgres text (and the audit log's jsonb) cannot hold NUL or lone surrogates: refused here rather than failing as a 500. */
export const tagValueSchema = text({ max: TAG_LIMITS.valueLength });

export const tagsSchema = z
  .record(tagKeySchema, tagValueSchema)
  .refine((tags) => Object.keys(tags).length <= TAG_LIMITS.tagsPerRequest, `at most ${TAG_LIMITS.tagsPerRequest} tags`);
export type Tags = z.infer<typeof tagsSchema>;

/** Tags as they come back in views: whatever is stored, key to value. */
export const tagsViewSchema = z.record(z.string(), z.string());
