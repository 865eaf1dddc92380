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
});
