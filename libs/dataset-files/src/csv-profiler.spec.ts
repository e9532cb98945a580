import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { CsvProfiler } from './csv-profiler';
import { detectDelimiter } from './csv-reader';

const profileIn = (chunks: Buffer[], delimiter?: string) => {
  const profiler = new CsvProfiler(delimiter);
  for (const chunk of chunks) profiler.push(chunk);
  return profiler.finish();
};

describe('CsvProfiler', () => {
  it('reads the same table whatever the chunk boundaries (quotes, CRLF and multi-byte characters split across chunks)', () => {
    const text = Buffer.from('name,"note, quoted",n\r\n"a ""b""",é€,1\r\nc,"multi\nline",2.5\r\nd,,NA\r\n', 'utf8');
    const whole = profileIn([text]);
    expect(whole.rows).toBe(3);
    expect(whole.columns.map((c) => c.name)).toEqual(['name', 'note, quoted', 'n']);
    expect(whole.profile.columns[0].topValues?.map((v) => v.value)).toEqual(['a "b"', 'c', 'd']);
    expect(whole.profile.columns[1]).toMatchObject({ count: 2, missing: 1 });
    expect(whole.profile.columns[2]).toMatchObject({ type: 'number', count: 2, missing: 1, min: 1, max: 2.5 });
    fc.assert(
      fc.property(fc.uniqueArray(fc.integer({ min: 1, max: text.length - 1 }), { maxLength: 12 }), (cuts) => {
        const points = [0, ...cuts.sort((a, b) => a - b), text.length];
        const chunks = points.slice(1).map((end, i) => text.subarray(points[i], end));
        expect(profileIn(chunks)).toEqual(whole);
      }),
      { seed: 7, numRuns: 200 },
    );
  });

  it('detects , ; tab and | from the header, ignoring delimiters inside quotes', () => {
    expect(detectDelimiter('a,b,c')).toBe(',');
    expect(detectDelimiter('a;b;"c,d,e"')).toBe(';');
    expect(detectDelimiter('a\tb')).toBe('\t');
    expect(detectDelimiter('a|b|c')).toBe('|');
    expect(detectDelimiter('single')).toBe(',');
  });

  it('samples numbers past the reservoir but keeps exact count, mean and extremes', () => {
    const n = 150_000;
    const lines = ['v'];
    for (let i = 0; i < n; i++) lines.push(String(i));
    const result = profileIn([Buffer.from(lines.join('\n'))]);
    const v = result.profile.columns[0];
    expect(v).toMatchObject({ count: n, min: 0, max: n - 1, sampled: true, distinctExact: false });
    expect(v.mean).toBeCloseTo((n - 1) / 2, 6);
    expect(v.quantiles?.['0.5']).toBeGreaterThan(n * 0.45);
    expect(v.quantiles?.['0.5']).toBeLessThan(n * 0.55);
  });
});
