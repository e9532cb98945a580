import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { searchRunsRequestSchema } from './run.contract';
import { parseRunFilter, parseRunOrderBy } from './run-filter';

/** Filter literals become SQL parameters: what Postgres text cannot hold is refused at parse time, with its column. */
describe('run filter: unstorable characters', () => {
  it.each([
    ["params.x = 'a\u0000b'", 13, 'NUL character at column 14 is not allowed'],
    ["tags.team = 'x\ud800'", 14, 'lone UTF-16 surrogate at column 15 is not allowed'],
    ['metrics.`a\udc00` > 1', 10, 'lone UTF-16 surrogate at column 11 is not allowed'],
  ])('%j → error at %i', (filter, position, message) => {
    expect(parseRunFilter(filter)).toEqual({ ok: false, error: { position, column: position + 1, message } });
  });

  it('keeps astral characters (surrogate pairs) in literals', () => {
    expect(parseRunFilter("params.x = '😀'")).toMatchObject({ ok: true });
  });

  it('refuses any NUL or lone surrogate spliced into a valid filter or order, and the request schema names the field', () => {
    const bad = fc.oneof(
      fc.constant('\u0000'),
      fc.integer({ min: 0xd800, max: 0xdfff }).map((c) => String.fromCharCode(c)),
    );
    fc.assert(
      fc.property(fc.constantFrom("params.x = 'abc'", 'metrics.f1 > 0.5', "tags.t IN ('a', 'b')"), fc.nat(), bad, (filter, at, char) => {
        const i = at % (filter.length + 1);
        const spliced = filter.slice(0, i) + char + filter.slice(i);
        expect(parseRunFilter(spliced).ok).toBe(false);
        const result = searchRunsRequestSchema.safeParse({ filter: spliced });
        expect(result.error?.issues[0].path).toEqual(['filter']);
      }),
      { seed: 20261201, numRuns: 200 },
    );
    expect(parseRunOrderBy('params.`a\u0000`').ok).toBe(false);
  });

  it('refuses times outside years 0001..9999', () => {
    expect(parseRunFilter('attributes.created_at > 253402300800000')).toMatchObject({ ok: false });
    expect(parseRunFilter("attributes.created_at > '10000-01-01'")).toMatchObject({ ok: false });
    expect(parseRunFilter('attributes.created_at > 253402300799999')).toMatchObject({ ok: true });
  });
});
