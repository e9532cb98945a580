import { SlipwayError } from '@slipway/contracts';

/**
 * Stores name the domain field that was wrong (`name`, `cursor`, `path`); only the API knows where the
 * request carried it. Runs `work` and renames those fields in a SlipwayError it throws, e.g.
 * `{ cursor: 'query.cursor' }`; fields not named, and every other error, pass through unchanged.
 */
export async function inRequestFields<T>(fields: Record<string, string>, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (!(error instanceof SlipwayError) || !error.fields?.some((f) => f.field in fields)) throw error;
    throw new SlipwayError(
      error.code,
      error.message,
      error.fields.map((f) => (f.field in fields ? { ...f, field: fields[f.field] } : f)),
    );
  }
}
