import { describe, expect, it } from '@jest/globals';
import type { LogBatchInput } from '../slipway-client';
import { formatMetricValue, isFiniteMetricValue, metricValueFromNumber, metricValueToNumber, type MetricValue } from '../index';

describe('metric values in the client', () => {
  it('turns the wire form into JS numbers and back, NaN and ±Infinity included', () => {
    const wire: MetricValue[] = ['NaN', 'Infinity', '-Infinity', 1.9796781408864355, Number.MAX_VALUE, Number.MIN_VALUE, 0];
    const numbers = wire.map(metricValueToNumber);
    expect(numbers).toEqual([Number.NaN, Infinity, -Infinity, 1.9796781408864355, Number.MAX_VALUE, Number.MIN_VALUE, 0]);
    expect(numbers.map(metricValueFromNumber)).toEqual(wire);
    // −0 is answered as 0 by the API; the helpers agree.
    expect(Object.is(metricValueFromNumber(-0), 0)).toBe(true);
    expect(wire.map(isFiniteMetricValue)).toEqual([false, false, false, true, true, true, true]);
  });

  it('prints them for people: the shortest exact decimal, NaN, ∞ and −∞', () => {
    expect(['NaN', 'Infinity', '-Infinity', 0.30000000000000004, null].map((v) => formatMetricValue(v as MetricValue | null))).toEqual([
      'NaN',
      '∞',
      '−∞',
      '0.30000000000000004',
      '',
    ]);
  });

  it('lets a batch carry the strings where a number would not serialise', () => {
    const batch: LogBatchInput = {
      metrics: [
        { key: 'loss', value: 'NaN' },
        { key: 'loss', value: 0.5, step: 1 },
      ],
    };
    expect(JSON.parse(JSON.stringify(batch)).metrics[0].value).toBe('NaN');
  });
});
