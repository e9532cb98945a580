import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { findWorkspaceRoot } from '@slipway/config';

/**
 * Every route README.md tells a reader to call exists in the API's OpenAPI document (the committed one,
 * which client.http.spec keeps equal to what the API serves), so the README cannot drift from the API.
 */
const root = findWorkspaceRoot(__dirname);
const readme = readFileSync(join(root, 'README.md'), 'utf8');
const openapi = JSON.parse(readFileSync(join(root, 'libs/client/src/generated/openapi.json'), 'utf8')) as { paths: Record<string, Record<string, unknown>> };

const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;
type Method = (typeof METHODS)[number];
interface Mention {
  method: Method;
  path: string;
  /** `…/end`: the path is the end of a route named just before. */
  suffix: boolean;
  line: number;
}

const lineOf = (index: number) => readme.slice(0, index).split('\n').length;

/** `GET /api/v1/x/:id`, `POST …/end`, and curl lines (`curl -X POST localhost:3000/api/v1/tokens`). */
export function routeMentions(text: string): Mention[] {
  const mentions: Mention[] = [];
  for (const match of text.matchAll(/\b(GET|POST|PUT|PATCH|DELETE) (\/(?:api\/v1|health)[^\s`'"),]*|…\/[^\s`'"),]+)/g)) {
    const raw = match[2];
    mentions.push({ method: match[1] as Method, path: raw.replace(/^…/, ''), suffix: raw.startsWith('…'), line: lineOf(match.index) });
  }
  for (const match of text.matchAll(/curl\b([^\n]*?)(?:https?:\/\/)?(?:localhost|127\.0\.0\.1):\d+(\/[^\s'"?]*)/g)) {
    const method = /-X\s+([A-Z]+)/.exec(match[1])?.[1] ?? 'GET';
    if ((METHODS as readonly string[]).includes(method)) mentions.push({ method: method as Method, path: match[2], suffix: false, line: lineOf(match.index) });
  }
  return mentions;
}

/** `:name`, `<path>`, `{id}` all stand for one path parameter (a `*path` wildcard is `{path}` in OpenAPI). */
function segmentsOf(path: string): string[] {
  return path
    .replace(/[.:;]+$/, '')
    .split('/')
    .filter((s) => s !== '')
    .map((s) => (/^(:\w+|<[^>]+>|\{[^}]+\})$/.test(s) ? '{}' : s));
}

function routeExists(mention: Mention): boolean {
  const wanted = segmentsOf(mention.path);
  return Object.entries(openapi.paths).some(([path, operations]) => {
    if (!(mention.method.toLowerCase() in operations)) return false;
    const have = segmentsOf(path);
    const tail = mention.suffix ? have.slice(-wanted.length) : have;
    return tail.length === wanted.length && tail.every((segment, i) => segment === wanted[i]);
  });
}

describe('README routes', () => {
  const mentions = routeMentions(readme);

  it('finds the routes the README names', () => {
    // A regression guard for the extractor itself: these are named in the quick-start and the feature sections.
    expect(mentions.map((m) => `${m.method} ${m.path}`)).toEqual(
      expect.arrayContaining(['POST /api/v1/runs', 'POST /api/v1/runs/:id/log-batch', 'GET /api/v1/registry/resolve/:ref', 'POST /api/v1/tokens']),
    );
    expect(mentions.length).toBeGreaterThan(15);
  });

  it('names only routes the API has', () => {
    const missing = mentions.filter((m) => !routeExists(m)).map((m) => `README.md:${m.line} ${m.method} ${m.suffix ? '…' : ''}${m.path}`);
    expect(missing).toEqual([]);
  });

  it('tells a made-up route apart from a real one', () => {
    expect(routeExists({ method: 'GET', path: '/api/v1/models/:name/versions', suffix: false, line: 0 })).toBe(true);
    expect(routeExists({ method: 'DELETE', path: '/api/v1/registry/compare', suffix: false, line: 0 })).toBe(false);
    expect(routeExists({ method: 'GET', path: '/api/v1/modelz', suffix: false, line: 0 })).toBe(false);
    expect(routeExists({ method: 'POST', path: '/end', suffix: true, line: 0 })).toBe(true);
  });
});
