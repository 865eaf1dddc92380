import { describe, expect, it } from 'vitest';
import { evaluateSeries } from '../../../core/expression/evaluate.js';

describe('evaluateSeries', () => {
  it('computes point by point on the timestamps every input has', () => {
    const out = evaluateSeries('100 * errors / requests', {
      errors: [
        [0, 1],
        [60, 2],
        [120, 5],
      ],
      requests: [
        [0, 50],
        [120, 100],
        [180, 10],
      ],
    });
    expect(out).toEqual([
      [0, 2],
      [120, 5],
    ]);
  });

  it('drops a datapoint whose value is not finite, as CloudWatch does for a division by zero', () => {
    expect(
      evaluateSeries('errors / requests', {
        errors: [
          [0, 1],
          [60, 0],
          [120, 3],
        ],
        requests: [
          [0, 0],
          [60, 0],
          [120, 4],
        ],
      }),
    ).toEqual([[120, 0.75]]);
  });

  it('applies unary minus and parentheses', () => {
    expect(evaluateSeries('-(a - 3) * 2', { a: [[5, 1]] })).toEqual([[5, 4]]);
  });

  it('sorts the result by time whatever the input order', () => {
    expect(
      evaluateSeries('a + 1', {
        a: [
          [120, 1],
          [0, 2],
        ],
      }),
    ).toEqual([
      [0, 3],
      [120, 2],
    ]);
  });

  it('refuses an expression over an unknown probe', () => {
    expect(() => evaluateSeries('a + constructor', { a: [] })).toThrow(/unknown probe "constructor"/);
  });

  it('refuses a function the sandbox cannot evaluate, saying it is AWS-only', () => {
    expect(() => evaluateSeries("SUM(SEARCH('x', 'Sum'))", {})).toThrow(/SEARCH\(\) is AWS-only/);
  });
});

describe('evaluateSeries: functions', () => {
  // Three periods of 60 s with a gap at 120 s.
  const m: Array<[number, number]> = [
    [0, 10],
    [60_000, 16],
    [180_000, 4],
  ];
  const ctx = { periodSeconds: 60, timestamps: [0, 60_000, 120_000, 180_000] };

  it("FILL with a number, REPEAT and LINEAR fills the window's empty periods", () => {
    expect(evaluateSeries('FILL(m, 0)', { m }, ctx)).toEqual([...m.slice(0, 2), [120_000, 0], m[2]]);
    expect(evaluateSeries('FILL(m, REPEAT)', { m }, ctx)).toContainEqual([120_000, 16]);
    expect(evaluateSeries('FILL(m, LINEAR)', { m }, ctx)).toContainEqual([120_000, 10]);
  });

  it('RATE, DIFF, DIFF_TIME and RUNNING_SUM read consecutive datapoints', () => {
    expect(evaluateSeries('RATE(m)', { m }, ctx)).toEqual([
      [60_000, 0.1],
      [180_000, -0.1],
    ]);
    expect(evaluateSeries('DIFF(m)', { m }, ctx)).toEqual([
      [60_000, 6],
      [180_000, -12],
    ]);
    expect(evaluateSeries('DIFF_TIME(m)', { m }, ctx)).toEqual([
      [60_000, 60],
      [180_000, 120],
    ]);
    expect(evaluateSeries('RUNNING_SUM(m)', { m }, ctx).map(([, v]) => v)).toEqual([10, 26, 30]);
  });

  it("PERIOD is the probes' period; an aggregate of one series is a number used per datapoint", () => {
    expect(evaluateSeries('m / PERIOD(m)', { m }, ctx).map(([, v]) => v)).toEqual([10 / 60, 16 / 60, 4 / 60]);
    expect(evaluateSeries('m - AVG(m)', { m }, ctx).map(([, v]) => v)).toEqual([0, 6, -6]);
    expect(evaluateSeries('TIME_SERIES(MAX(m))', { m }, ctx)).toHaveLength(4);
  });

  it('IF keeps the documented semantics: a missing else drops the datapoint', () => {
    expect(evaluateSeries('IF(m > 5, 1)', { m: [...m, [240_000, 2]] }, ctx).map(([t]) => t)).toEqual([0, 60_000]);
    expect(evaluateSeries('IF(m > 12, m, 0)', { m }, ctx).map(([, v]) => v)).toEqual([0, 16, 0]);
  });

  it('MIN, MAX and SUM of an array work per timestamp; comparisons read a missing value as 0', () => {
    const a: Array<[number, number]> = [
      [0, 1],
      [60_000, 5],
    ];
    const b: Array<[number, number]> = [[0, 3]];
    expect(evaluateSeries('MAX([a, b])', { a, b }, ctx)).toEqual([
      [0, 3],
      [60_000, 5],
    ]);
    expect(evaluateSeries('SUM([a, b])', { a, b }, ctx)).toEqual([
      [0, 4],
      [60_000, 5],
    ]);
    expect(evaluateSeries('a > b', { a, b }, ctx)).toEqual([
      [0, 0],
      [60_000, 1],
    ]);
  });

  it('ABS, CEIL, FLOOR and the time functions (UTC, Monday = 1)', () => {
    expect(evaluateSeries('ABS(m - 12) + CEIL(m / 7) - FLOOR(m / 7)', { m }, ctx).map(([, v]) => v)).toEqual([3, 5, 9]);
    const monday = Date.UTC(2026, 11, 7, 9, 30);
    expect(evaluateSeries('DAY(x) * 100 + HOUR(x)', { x: [[monday, 1]] }, { periodSeconds: 60 })).toEqual([
      [monday, 109],
    ]);
  });
});
