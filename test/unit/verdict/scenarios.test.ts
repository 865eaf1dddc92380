// One synthetic run per verdict and per kind of reason, each giving exactly its verdict and reasons.
import { describe, expect, it } from 'vitest';
import { MIN, perMinute } from '../steady-state/fixture.js';
import { runScenario, type Scenario } from './scenario.js';

const noCompare: Scenario['edit'] = (i) => {
  delete i.expect.compare;
};
const decision = (sc: Scenario) => {
  const { verdict, reasons } = runScenario(sc);
  return { verdict, reasons };
};

describe('PASSED', () => {
  it('passes a run whose every check was decided and held, naming each bound it held', () => {
    const { verdict, reasons } = decision({});
    expect(verdict).toBe('PASSED');
    expect(reasons[0]).toBe('hypothesis: all 16 checks decided and held');
    expect(reasons).toContain(
      'latency (fault phase): observed min 0.1, max 0.12 over 5 datapoints, bound expect.during max 0.5',
    );
    expect(reasons).toContain(
      'healthy (recovery phase): observed back within tolerance min 2 after PT0S, bound expect.recovery PT5M',
    );
    // coverage checks are implied by the others
    expect(reasons.filter((r) => r.includes('≥ 80 %'))).toEqual([]);
  });
});

describe('DEGRADED', () => {
  it('reports an expect.during bound breached in the fault phase', () => {
    expect(
      decision({
        edit: noCompare,
        series: (s, p) => {
          s.fault.latency = perMinute(p.fault, 0.7);
        },
      }),
    ).toEqual({
      verdict: 'DEGRADED',
      reasons: ['latency (fault phase): observed max 0.7, bound expect.during max 0.5'],
    });
  });

  it('reports a probe not back within tolerance by the end of the recovery window', () => {
    expect(
      decision({
        series: (s, p) => {
          s.recovery.healthy = perMinute(p.recovery, 1);
        },
      }),
    ).toEqual({
      verdict: 'DEGRADED',
      reasons: [
        'healthy (recovery phase): observed not back within tolerance min 2 by the end of the recovery window (last value 1), bound expect.recovery PT5M',
      ],
    });
  });

  it('reports a recovery slower than expect.recovery', () => {
    expect(
      decision({
        recoveryMinutes: 8,
        series: (s, p) => {
          s.recovery.healthy = perMinute(p.recovery, (i) => (i < 7 ? 1 : 3));
        },
      }),
    ).toEqual({
      verdict: 'DEGRADED',
      reasons: [
        'healthy (recovery phase): observed back within tolerance min 2 after PT7M, bound expect.recovery PT5M',
      ],
    });
  });

  it('reports a significant regression found by the comparison', () => {
    expect(
      decision({
        series: (s, p) => {
          s.fault.latency = perMinute(p.fault, (i) => 0.15 + i * 0.001);
        },
      }),
    ).toEqual({
      verdict: 'DEGRADED',
      reasons: [
        'latency (fault vs baseline): observed significantly higher than baseline (Mann-Whitney p = 0.0023, rank-biserial r = 1), bound p ≥ alpha 0.05 for a shift breaking tolerance max 0.2',
      ],
    });
  });

  it('reports a missing datapoint of a breach probe', () => {
    expect(
      decision({
        series: (s, p) => {
          s.fault.healthy = perMinute(p.fault, 3).slice(1);
        },
      }),
    ).toEqual({
      verdict: 'DEGRADED',
      reasons: ['healthy (fault phase): observed 1 missing datapoint (missing: breach), bound expect.during min 1'],
    });
  });

  it('wins over INCONCLUSIVE when a breach was decided and another check was not', () => {
    const d = decision({
      edit: noCompare,
      series: (s, p) => {
        s.fault.latency = [[p.fault.start, 0.1]];
        s.fault.errors = [[p.fault.start + MIN, 4]];
      },
    });
    expect(d).toEqual({
      verdict: 'DEGRADED',
      reasons: [
        'errors (fault phase): observed max 4, bound tolerance max 0',
        'error_rate (fault phase): observed max 4, bound tolerance max 1',
        'latency (fault phase): observed 1 of 5 datapoints (20 %), bound ≥ 80 % and at least one to decide (missing: ignore)',
      ],
    });
  });
});

describe('FAILED', () => {
  it('reports the stop-condition alarm that stopped the fault, before the breaches it caused', () => {
    expect(
      decision({
        edit: noCompare,
        fault: { status: 'stopped', stopConditionAlarmsFired: true, firedAlarms: ['checkout-5xx-high'] },
        series: (s, p) => {
          s.fault.errors = [[p.fault.start + MIN, 12]];
        },
      }),
    ).toEqual({
      verdict: 'FAILED',
      reasons: [
        'stop condition (fault phase): observed stop-condition alarm checkout-5xx-high in ALARM and FIS stopped the fault, bound no stop condition fires',
        'errors (fault phase): observed max 12, bound tolerance max 0',
        'error_rate (fault phase): observed max 12, bound tolerance max 1',
      ],
    });
  });
});

describe('INCONCLUSIVE', () => {
  it('reports a baseline out of steady state (nothing injected)', () => {
    expect(
      decision({
        series: (s, p) => {
          s.baseline.healthy = perMinute(p.baseline, 1);
        },
      }),
    ).toEqual({
      verdict: 'INCONCLUSIVE',
      reasons: ['healthy (baseline phase): observed min 1, bound tolerance min 2'],
    });
  });

  it('reports a check that missing data kept from being decided, with the coverage', () => {
    expect(
      decision({
        series: (s, p) => {
          s.recovery.latency = perMinute(p.recovery, 0.1).slice(0, 3);
        },
      }),
    ).toEqual({
      verdict: 'INCONCLUSIVE',
      reasons: [
        'latency (recovery phase): observed 3 of 5 datapoints (60 %), bound ≥ 80 % and at least one to decide (missing: ignore)',
      ],
    });
  });

  it('reports a fault stopped by the kill switch', () => {
    expect(decision({ fault: { status: 'stopped', stopCause: 'halt', reason: 'Experiment stopped by user' } })).toEqual(
      {
        verdict: 'INCONCLUSIVE',
        reasons: [
          'kill switch (fault phase): observed FIS experiment stopped by shaketable halt (FIS reason: Experiment stopped by user), bound the fault phase runs to its end',
        ],
      },
    );
  });

  it('reports a fault stopped by an operator with no stop-condition alarm', () => {
    expect(decision({ fault: { status: 'stopped' } })).toEqual({
      verdict: 'INCONCLUSIVE',
      reasons: [
        'operator stop (fault phase): observed FIS experiment stopped with no stop-condition alarm in ALARM (console, API or FIS safety lever), bound the fault phase runs to its end',
      ],
    });
  });
});

describe('SKIPPED', () => {
  it('reports the guardrail that refused', () => {
    const refused = {
      name: 'window',
      ok: false,
      message: 'window (preflight): observed SAT 11:00 Europe/Berlin, bound MON-FRI 09:30-16:00',
    };
    expect(decision({ preflight: [refused] })).toEqual({ verdict: 'SKIPPED', reasons: [refused.message] });
  });

  it('reports a dry run', () => {
    expect(decision({ dryRun: true })).toEqual({
      verdict: 'SKIPPED',
      reasons: ['dry run: observed dryRun true, nothing injected'],
    });
  });

  it('reports an FIS experiment cancelled before injecting', () => {
    expect(decision({ fault: { status: 'cancelled' } })).toEqual({
      verdict: 'SKIPPED',
      reasons: ['FIS (fault phase): observed experiment cancelled before injecting, bound FIS runs the experiment'],
    });
  });

  it('reports an FIS failure with no target resolved', () => {
    expect(
      decision({ fault: { status: 'failed', targetsResolved: false, reason: 'Target resolution returned empty set' } }),
    ).toEqual({
      verdict: 'SKIPPED',
      reasons: [
        'targets (fault phase): observed no target resolved, FIS failed without injecting (FIS reason: Target resolution returned empty set), bound at least one target',
      ],
    });
  });
});

describe('ERROR', () => {
  it('reports an orchestrator error, ahead of everything else', () => {
    expect(
      decision({
        error: 'Observe: GetMetricData throttled after 6 attempts',
        fault: { status: 'stopped', stopConditionAlarmsFired: true },
        edit: noCompare,
      }),
    ).toEqual({
      verdict: 'ERROR',
      reasons: [
        'orchestrator: Observe: GetMetricData throttled after 6 attempts',
        'stop condition (fault phase): observed stop-condition alarm in ALARM and FIS stopped the fault, bound no stop condition fires',
      ],
    });
  });

  it('reports a fault stopped at maxDuration', () => {
    expect(decision({ fault: { status: 'stopped', stopCause: 'maxDuration' } }).verdict).toBe('ERROR');
  });

  it('reports FIS failing after targets resolved', () => {
    expect(decision({ fault: { status: 'failed', reason: 'Action terminate failed' } })).toEqual({
      verdict: 'ERROR',
      reasons: [
        'FIS (fault phase): observed experiment failed after resolving targets (FIS reason: Action terminate failed), bound FIS completes or is stopped',
      ],
    });
  });

  it('reports an end state FIS does not document', () => {
    expect(decision({ fault: { status: 'pending' } }).verdict).toBe('ERROR');
  });
});
