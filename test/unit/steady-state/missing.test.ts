import { describe, expect, it } from 'vitest';
import { Probe } from '../../../core/experiment/schema.js';
import { applyMissing, defaultMissing } from '../../../core/steady-state/missing.js';

const window = { start: 0, end: 5 * 60_000 };

describe('defaultMissing', () => {
  it('reads a missing Sum or SampleCount datapoint as zero', () => {
    expect(defaultMissing(Probe.parse({ metric: { namespace: 'N', name: 'Errors', stat: 'Sum' } }))).toBe('zero');
    expect(defaultMissing(Probe.parse({ metric: { namespace: 'N', name: 'Count', stat: 'SampleCount' } }))).toBe(
      'zero',
    );
  });

  it('ignores missing datapoints of other statistics and of expressions', () => {
    expect(defaultMissing(Probe.parse({ metric: { namespace: 'N', name: 'Latency', stat: 'p99' } }))).toBe('ignore');
    expect(defaultMissing(Probe.parse({ expression: 'a / b' }))).toBe('ignore');
  });

  it('keeps the policy the probe states', () => {
    expect(defaultMissing(Probe.parse({ metric: { namespace: 'N', name: 'E', stat: 'Sum' }, missing: 'breach' }))).toBe(
      'breach',
    );
  });
});

describe('applyMissing', () => {
  const twoOfFive: Array<[number, number]> = [
    [120_000, 7],
    [0, 5],
  ];

  it('fills every empty period slot with 0 under zero', () => {
    const f = applyMissing(twoOfFive, window, 60, 'zero');
    expect(f.series).toEqual([
      [0, 5],
      [60_000, 0],
      [120_000, 7],
      [180_000, 0],
      [240_000, 0],
    ]);
    expect(f).toMatchObject({ expected: 5, present: 2, coverage: 0.4, breaches: [] });
  });

  it('marks every empty slot as a breach under breach', () => {
    const f = applyMissing(twoOfFive, window, 60, 'breach');
    expect(f.series).toEqual([
      [0, 5],
      [120_000, 7],
    ]);
    expect(f.breaches).toEqual([60_000, 180_000, 240_000]);
  });

  it('leaves empty slots missing under ignore and reports the coverage', () => {
    const f = applyMissing(twoOfFive, window, 60, 'ignore');
    expect(f.series).toHaveLength(2);
    expect(f).toMatchObject({ expected: 5, present: 2, coverage: 0.4, breaches: [] });
  });

  it('drops datapoints outside the window and follows the datapoints phase', () => {
    const f = applyMissing(
      [
        [-60_000, 1],
        [30_000, 2],
        [90_000, 3],
        [400_000, 4],
      ],
      window,
      60,
      'zero',
    );
    expect(f.series).toEqual([
      [30_000, 2],
      [90_000, 3],
      [150_000, 0],
      [210_000, 0],
      [270_000, 0],
    ]);
  });

  it('has no slot and no coverage for a window shorter than one period', () => {
    expect(applyMissing([], { start: 0, end: 0 }, 60, 'zero')).toMatchObject({ expected: 0, coverage: 0, series: [] });
  });

  it('refuses a period that is not positive', () => {
    expect(() => applyMissing([], window, 0, 'zero')).toThrow(/period must be positive/);
  });
});
