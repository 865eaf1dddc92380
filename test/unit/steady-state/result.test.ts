import { describe, expect, it } from 'vitest';
import { ProbeResult } from '../../../core/result/model.js';
import { evaluateBaseline } from '../../../core/steady-state/baseline.js';
import { evaluateHypothesis } from '../../../core/steady-state/hypothesis.js';
import { toResultProbes } from '../../../core/steady-state/result.js';
import { checkout, checkoutPhases, healthySeries, MIN, perMinute } from './fixture.js';

describe('toResultProbes', () => {
  it('writes every probe with ISO series per phase and its statistics, valid against the result model', () => {
    const p = checkoutPhases();
    const s = healthySeries(p);
    s.recovery.healthy = perMinute(p.recovery, (i) => (i < 2 ? 1 : 3)).filter(
      ([t]) => t !== p.recovery.start + 4 * MIN,
    );
    const probes = toResultProbes(checkout(), evaluateHypothesis(checkout(), s, p));
    expect(Object.keys(probes)).toEqual(['latency', 'errors', 'requests', 'error_rate', 'healthy']);
    for (const probe of Object.values(probes)) expect(() => ProbeResult.parse(probe)).not.toThrow();
    const healthy = probes.healthy!;
    expect(healthy.tolerance).toEqual({ min: 2 });
    expect(healthy.during).toEqual({ min: 1 });
    expect(healthy.series.recovery[0]).toEqual(['2026-03-03T10:05:00.000Z', 1]);
    expect(healthy.stats.recovery).toMatchObject({
      count: 4,
      expected: 5,
      breaches: 1,
      min: 1,
      max: 3,
      p50: 2,
      breachSlots: ['2026-03-03T10:09:00.000Z'],
    });
    // The last slot is missing under `breach`, so the probe is not known to have recovered.
    expect(healthy.stats.recoveryTime).toEqual({ recoveredAt: null, recoverySeconds: null, limitSeconds: 300 });
    expect(probes.latency!.stats.compare).toMatchObject({
      test: 'mann-whitney',
      alpha: 0.05,
      n1: 5,
      n2: 10,
      flagged: false,
    });
    expect(probes.requests!.tolerance).toBeUndefined();
    expect(JSON.parse(JSON.stringify(probes))).toEqual(probes);
  });

  it('writes only the baseline when the run stopped after it', () => {
    const p = checkoutPhases();
    const probes = toResultProbes(checkout(), evaluateBaseline(checkout(), healthySeries(p).baseline, p.baseline));
    expect(probes.latency!.series.baseline).toHaveLength(10);
    expect(probes.latency!.series.fault).toEqual([]);
    expect(probes.latency!.stats.fault).toBeUndefined();
    expect(probes.errors!.stats.baseline).toMatchObject({ count: 10, coverage: 0, min: 0, max: 0, mean: 0 });
  });
});
