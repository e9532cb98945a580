import { describe, expect, it } from '@jest/globals';
import { formatAgo, formatBytes, formatDateTime, formatLatency, formatMetric, formatUptime } from '../format';

describe('formatAgo', () => {
  const now = Date.parse('2026-11-27T12:00:00.000Z');
  it.each([
    ['2026-11-27T12:00:00.300Z', 'just now'], // a clock slightly ahead never reads as negative
    ['2026-11-27T11:59:48.000Z', '12 s ago'],
    ['2026-11-27T11:55:00.000Z', '5 min ago'],
    ['2026-11-27T09:00:00.000Z', '3 h ago'],
    ['2026-11-24T12:00:00.000Z', '3 d ago'],
  ])('%s → %s', (iso, expected) => {
    expect(formatAgo(iso, now)).toBe(expected);
  });
});

describe('formatLatency and formatUptime', () => {
  it('keep a decimal only where it matters', () => {
    expect(formatLatency(1.234)).toBe('1.2 ms');
    expect(formatLatency(42.6)).toBe('43 ms');
  });
  it('reads uptime in the largest sensible units', () => {
    expect(formatUptime(42)).toBe('42 s');
    expect(formatUptime(3 * 3600 + 5 * 60)).toBe('3 h 5 min');
    expect(formatUptime(2 * 86_400 + 3600)).toBe('2 d 1 h');
  });
});

describe('metric, size and time formatting', () => {
  it('formats metric values compactly', () => {
    expect(formatMetric(0.912345678)).toBe('0.9123');
    expect(formatMetric(3)).toBe('3');
    expect(formatMetric(0.00001234)).toBe('1.234e-5');
    expect(formatMetric(0)).toBe('0');
    expect(['NaN', 'Infinity', '-Infinity', Number.NaN, -Infinity].map((v) => formatMetric(v as 'NaN' | number))).toEqual(['NaN', '∞', '−∞', 'NaN', '−∞']);
  });

  it('formats bytes and times the same on server and browser', () => {
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes(1536)).toBe('1.5 KiB');
    expect(formatDateTime('2026-11-27T04:05:06.000Z')).toBe('2026-11-27 04:05 UTC');
  });
});
