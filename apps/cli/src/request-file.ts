import { readFileSync } from 'node:fs';
import { extname } from 'node:path';
import type { SlipwayClient } from '@slipway/client';
import type { DatasetView } from '@slipway/contracts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const isUuid = (text: string) => UUID.test(text);

/**
 * A request file given with `-f`: a create request's body as YAML (`.yaml`/`.yml`) or JSON (anything else).
 * Every refusal starts with `-f <file>`; `fields` lists what the object holds, for the refusal of anything else.
 */
export async function readRequestFile(file: string, fields: string): Promise<Record<string, unknown>> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new Error(`-f ${file}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message}`);
  }
  const yaml = ['.yaml', '.yml'].includes(extname(file).toLowerCase());
  let spec: unknown;
  try {
    if (yaml) {
      const { parse } = await import('yaml');
      spec = parse(text);
    } else {
      spec = JSON.parse(text);
    }
  } catch (error) {
    // yaml's first message line says line and column (the lines after draw the source); JSON.parse's says the position.
    throw new Error(`-f ${file}: not valid ${yaml ? 'YAML' : 'JSON'}: ${(error as Error).message.split('\n')[0]}`);
  }
  if (typeof spec !== 'object' || spec === null || Array.isArray(spec)) throw new Error(`-f ${file}: expected an object with ${fields}`);
  return spec as Record<string, unknown>;
}

/** An id is used as it is; a name must match exactly one dataset. `label` (the flag or field it came from) starts each refusal. */
export async function resolveDatasetRef(api: SlipwayClient, ref: string, label = 'dataset'): Promise<string> {
  if (isUuid(ref)) return ref;
  const matches: DatasetView[] = [];
  let cursor: string | undefined;
  do {
    const page = await api.datasets.list({ search: ref, limit: 200, cursor });
    matches.push(...page.datasets.filter((d) => d.name === ref));
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  if (matches.length === 0) throw new Error(`${label} ${ref}: no dataset has this name (slipway datasets list)`);
  if (matches.length > 1) throw new Error(`${label} ${ref}: ${matches.length} datasets have this name; give one id: ${matches.map((d) => d.id).join(', ')}`);
  return matches[0].id;
}
