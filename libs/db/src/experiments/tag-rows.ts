import type { TagsEntity } from './tracking.entities';

/** Tag rows (one per key) as the object the API speaks, ordered by key so views and audit entries are stable. */
export function tagsFromRows(rows: readonly { key: string; value: string }[]): TagsEntity {
  return Object.fromEntries(rows.map((row) => [row.key, row.value]).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** The object as rows for `createMany`. */
export function tagRows(tags: TagsEntity): { key: string; value: string }[] {
  return Object.entries(tags).map(([key, value]) => ({ key, value }));
}
