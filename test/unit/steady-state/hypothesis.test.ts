import { describe, expect, it } from 'vitest';
import type { ProbeCheck } from '../../../core/steady-state/checks.js';
import { evaluateHypothesis } from '../../../core/steady-state/hypothesis.js';
import { checkout, checkoutPhases, healthySeries, MIN, perMinute } from './fixture.js';

const failing = (checks: ProbeCheck[]) =>
  checks.filter((c) => !c.ok).map((c) => `${c.decided ? 'breach' : 'undecided'}: ${c.message}`);

describe('evaluateHypothesis', () => {
  it('holds every check for a system that shrugs the fault off', () => {
    const p = checkoutPhases();
    const h = evaluateHypothesis(checkout(), healthySeries(p), p);
    expect(failing(h.checks)).toEqual([]);
    expect(h.checks.filter((c) => c.kind !== 'coverage').map((c) => c.name)).toEqual([
      'latency.fault.during',
      'latency.recovery.recovery',
      'latency.fault.compare',
      'errors.fault.during',
      'errors.recovery.recovery',
      'errors.fault.compare',
      'error_rate.fault.during',
      'error_rate.recovery.recovery',
      'error_rate.fault.compare',
      'healthy.fault.during',
      'healthy.recovery.recovery',
      'healthy.fault.compare',
    ]);
  });

  it('holds the fault phase to expect.during where listed and to the tolerance otherwise', () => {
    const p = checkoutPhases();
    const s = healthySeries(p);
    s.fault.healthy = perMinute(p.fault, 1); // during min 1: allowed although below tolerance min 2
    s.fault.errors = [[p.fault.start + MIN, 1]]; // not listed: tolerance max 0
    const e = checkout((i) => delete i.expect.compare);
    // error_rate = 100 × 1 / 100 = 1 stays within its max 1.
    expect(failing(evaluateHypothesis(e, s, p).checks)).toEqual([
      'breach: errors (fault phase): observed max 1, bound tolerance max 0',
    ]);
  });

  it('measures recovery from the end of the fault phase and accepts it within expect.recovery', () => {
    const p = checkoutPhases();
    const s = healthySeries(p);
    s.recovery.healthy = perMinute(p.recovery, (i) => (i < 2 ? 1 : 3));
    const h = evaluateHypothesis(checkout(), s, p);
    expect(h.probes.healthy?.recovery).toMatchObject({
      recoveredAt: p.recovery.start + 2 * MIN,
      seconds: 120,
      limitSeconds: 300,
    });
    expect(failing(h.checks)).toEqual([]);
  });

  it('refuses a probe still out of tolerance at the end of the recovery window', () => {
    const p = checkoutPhases();
    const s = healthySeries(p);
    s.recovery.healthy = perMinute(p.recovery, (i) => (i === 4 ? 1 : 3));
    expect(failing(evaluateHypothesis(checkout(), s, p).checks)).toEqual([
      'breach: healthy (recovery phase): observed not back within tolerance min 2 by the end of the recovery window (last value 1), bound expect.recovery PT5M',
    ]);
  });

  it('refuses a recovery slower than expect.recovery when the window is longer', () => {
    const p = checkoutPhases(8);
    const s = healthySeries(p);
    s.recovery.healthy = perMinute(p.recovery, (i) => (i < 6 ? 1 : 3));
    expect(failing(evaluateHypothesis(checkout(), s, p).checks)).toEqual([
      'breach: healthy (recovery phase): observed back within tolerance min 2 after PT6M, bound expect.recovery PT5M',
    ]);
  });

  it('flags a significant shift in the worse direction even within bounds', () => {
    const p = checkoutPhases();
    const s = healthySeries(p);
    s.fault.latency = perMinute(p.fault, (i) => 0.15 + i * 0.001);
    expect(failing(evaluateHypothesis(checkout(), s, p).checks)).toEqual([
      'breach: latency (fault vs baseline): observed significantly higher than baseline (Mann-Whitney p = 0.0023, rank-biserial r = 1), bound p ≥ alpha 0.05 for a shift breaking tolerance max 0.2',
    ]);
  });

  it('prints each value and bound in the probe\u2019s unit: s, %, ms for Milliseconds, none for a Count', () => {
    const p = checkoutPhases(8);
    const s = healthySeries(p);
    s.fault.latency = perMinute(p.fault, (i) => (i === 2 ? 0.74 : 0.1));
    s.fault.requests = perMinute(p.fault, 100);
    s.fault.errors = perMinute(p.fault, (i) => (i === 1 ? 3 : 0));
    s.recovery.healthy = perMinute(p.recovery, (i) => (i < 6 ? 1 : 3));
    const e = checkout((input) => {
      const probes = input.steadyState.probes as Record<string, { unit?: string }>;
      probes.latency!.unit = 's';
      probes.error_rate!.unit = '%';
      probes.errors!.unit = 'Count';
      probes.healthy!.unit = 'Milliseconds'; // not a sensible unit for hosts; shows the short form
      delete input.expect.compare;
    });
    expect(failing(evaluateHypothesis(e, s, p).checks)).toEqual([
      'breach: latency (fault phase): observed max 0.74 s, bound expect.during max 0.5 s',
      'breach: errors (fault phase): observed max 3, bound tolerance max 0',
      'breach: error_rate (fault phase): observed max 3 %, bound tolerance max 1 %',
      'breach: healthy (recovery phase): observed back within tolerance min 2 ms after PT6M, bound expect.recovery PT5M',
    ]);
  });

  it('does not flag a significant shift in the better direction', () => {
    const p = checkoutPhases();
    const s = healthySeries(p);
    s.fault.latency = perMinute(p.fault, (i) => 0.01 + i * 0.001);
    const h = evaluateHypothesis(checkout(), s, p);
    expect(failing(h.checks)).toEqual([]);
    expect(h.probes.latency?.comparison).toMatchObject({ direction: 'lower', flagged: false });
    expect(h.probes.latency?.comparison?.pValue).toBeLessThan(0.05);
  });

  it('leaves an ignore probe with too few datapoints undecided, and still decides an observed breach', () => {
    const p = checkoutPhases();
    const s = healthySeries(p);
    s.fault.latency = [[p.fault.start, 0.1]];
    const e = checkout((i) => delete i.expect.compare);
    expect(failing(evaluateHypothesis(e, s, p).checks)).toEqual([
      'undecided: latency (fault phase): observed 1 of 5 datapoints (20 %), bound ≥ 80 % and at least one to decide (missing: ignore)',
    ]);
    s.fault.latency = [[p.fault.start, 0.9]];
    expect(failing(evaluateHypothesis(e, s, p).checks)).toEqual([
      'undecided: latency (fault phase): observed 1 of 5 datapoints (20 %), bound ≥ 80 % and at least one to decide (missing: ignore)',
      'breach: latency (fault phase): observed max 0.9, bound expect.during max 0.5',
    ]);
  });

  it('computes an expression probe from its inputs after their missing policies', () => {
    const p = checkoutPhases();
    const s = healthySeries(p);
    s.fault.errors = [[p.fault.start + 2 * MIN, 3]];
    const h = evaluateHypothesis(
      checkout((i) => delete i.expect.compare),
      s,
      p,
    );
    expect(h.probes.error_rate?.phases.fault?.series).toEqual([
      [p.fault.start, 0],
      [p.fault.start + MIN, 0],
      [p.fault.start + 2 * MIN, 3],
      [p.fault.start + 3 * MIN, 0],
      [p.fault.start + 4 * MIN, 0],
    ]);
    expect(failing(h.checks)).toEqual([
      'breach: errors (fault phase): observed max 3, bound tolerance max 0',
      'breach: error_rate (fault phase): observed max 3, bound tolerance max 1',
    ]);
  });
});
