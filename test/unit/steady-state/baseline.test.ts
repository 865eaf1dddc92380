import { describe, expect, it } from 'vitest';
import { evaluateBaseline } from '../../../core/steady-state/baseline.js';
import { checkout, checkoutPhases, healthySeries, MIN, perMinute } from './fixture.js';

const p = checkoutPhases();

describe('evaluateBaseline', () => {
  it('holds when every bounded probe stays within its tolerance with enough data', () => {
    const b = evaluateBaseline(checkout(), healthySeries(p).baseline, p.baseline);
    expect(b.held).toBe(true);
    expect(b.reasons).toEqual([]);
    expect(b.checks.every((c) => c.decided && c.ok)).toBe(true);
    // requests has no tolerance: measured, not checked.
    expect(b.checks.some((c) => c.probe === 'requests')).toBe(false);
  });

  it('does not hold when a datapoint is out of tolerance', () => {
    const s = healthySeries(p).baseline;
    s.latency = perMinute(p.baseline, (i) => (i === 4 ? 0.35 : 0.1));
    const b = evaluateBaseline(checkout(), s, p.baseline);
    expect(b.held).toBe(false);
    expect(b.reasons).toEqual(['latency (baseline phase): observed max 0.35, bound tolerance max 0.2']);
  });

  it('cannot decide an ignore probe with less than 80 % of its datapoints', () => {
    const s = healthySeries(p).baseline;
    s.latency = perMinute(p.baseline, 0.1).filter((_, i) => i % 2 === 0);
    const b = evaluateBaseline(checkout(), s, p.baseline);
    expect(b.held).toBe(false);
    expect(b.reasons).toEqual([
      'latency (baseline phase): observed 5 of 10 datapoints (50 %), bound ≥ 80 % and at least one to decide (missing: ignore)',
    ]);
    expect(b.checks.find((c) => c.kind === 'coverage' && c.probe === 'latency')?.decided).toBe(false);
  });

  it('decides an ignore probe with exactly 80 % of its datapoints', () => {
    const s = healthySeries(p).baseline;
    s.latency = perMinute(p.baseline, 0.1).slice(2);
    expect(evaluateBaseline(checkout(), s, p.baseline).held).toBe(true);
  });

  it('counts an empty slot of a breach probe as out of bounds', () => {
    const s = healthySeries(p).baseline;
    s.healthy = perMinute(p.baseline, 3).filter(([t]) => t !== p.baseline.start + 3 * MIN);
    expect(evaluateBaseline(checkout(), s, p.baseline).reasons).toEqual([
      'healthy (baseline phase): observed 1 missing datapoint (missing: breach), bound tolerance min 2',
    ]);
  });

  it('reads a missing Sum datapoint as zero, so absent errors hold', () => {
    const s = healthySeries(p).baseline;
    s.errors = [[p.baseline.start, 2]];
    expect(evaluateBaseline(checkout(), s, p.baseline).reasons).toEqual([
      'errors (baseline phase): observed max 2, bound tolerance max 0',
      'error_rate (baseline phase): observed max 2, bound tolerance max 1',
    ]);
  });

  it('does not hold with no probe that has a tolerance', () => {
    const e = checkout((i) => {
      for (const probe of Object.values(i.steadyState.probes)) delete probe.tolerance;
    });
    const b = evaluateBaseline(e, healthySeries(p).baseline, p.baseline);
    expect(b.held).toBe(false);
    expect(b.reasons).toEqual([
      'baseline: observed no probe with a tolerance, bound at least one to define steady state',
    ]);
  });
});
