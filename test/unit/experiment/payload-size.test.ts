// payload-size: the datapoints a run carries through Step Functions (256 KB), counted from the file; a ramp carries
// each step's series in result.steps[] and the last step's again at the top level.
import { describe, expect, it } from 'vitest';
import { payloadSize } from '../../../core/experiment/rules/payload-size.js';

const probes = (n: number) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`p${i}`, {}]));
// 10 probes × (600 + 600 + 300 s) / 1 s + 2 = 15,020 would be far over; at PT10S: 10 × 152 = 1,520
const raw = (steps?: string[]) => ({
  steadyState: { period: 'PT10S', baseline: 'PT10M', probes: probes(10) },
  fault: { maxDuration: 'PT10M', observe: 'PT5M', ...(steps ? { ramp: { target: 'web', steps } } : {}) },
  expect: { recovery: 'PT5M' },
});

describe('payload-size', () => {
  it('allows a single run of 1,520 datapoints', () => {
    expect(payloadSize.check(raw())).toEqual([]);
  });

  it('allows a ramp whose steps fit', () => {
    const small = raw(['COUNT(1)', 'COUNT(2)']);
    small.steadyState.probes = probes(5); // 5 × 152 × 3 = 2,280
    expect(payloadSize.check(small)).toEqual([]);
  });

  it('refuses a ramp whose steps together exceed what a run can carry, naming the steps', () => {
    const issues = payloadSize.check(raw(['COUNT(1)', 'COUNT(2)', 'ALL']));
    expect(issues).toHaveLength(1);
    expect(issues[0]?.message).toMatch(
      /^10 probes × 152 periods of PT10S \(baseline \+ maxDuration \+ recovery\) × 4 \(the 3 ramp steps and the last once more\) = 6080 datapoints, above the 4000 .*fewer ramp steps/,
    );
  });
});
