// What one run's result says failed: probe checks by their `probe` field or `<probe>.<phase>.<kind>` name, guardrails
// by name, stop conditions from the FAILED reason, and the reasons only when no check names a probe.
import { describe, expect, it } from 'vitest';
import { runFailures } from '../../../core/scorecard/failures.js';
import { failedCheck, fixtureResult } from './history.js';

describe('runFailures', () => {
  it('reads the probe from a check that still carries its probe field, and leaves passing checks out', () => {
    const result = fixtureResult('failed');
    result.preflight.checks = [
      { ...failedCheck('p99 bound'), probe: 'latency_p99' } as never,
      { name: 'errors.fault.during', ok: true, message: 'held' },
      failedCheck('lock'),
    ];
    const failures = runFailures(result, ['latency_p99', 'errors']);
    expect([...failures.probes]).toEqual([['latency_p99', ['p99 bound']]]);
    expect([...failures.guardrails]).toEqual(['lock', 'stop condition']);
  });

  it('names every alarm of a stop-condition reason', () => {
    const result = fixtureResult('failed');
    result.reasons = [
      'stop condition (fault phase): observed stop-condition alarms a-high, b-high in ALARM and FIS stopped the fault, bound no stop condition fires',
    ];
    expect([...runFailures(result).guardrails]).toEqual(['stop condition a-high', 'stop condition b-high']);
  });

  it('does not read probes from the reasons of a PASSED run', () => {
    const result = fixtureResult('passed');
    expect(runFailures(result, ['latency_p99', 'errors', 'healthy']).probes.size).toBe(0);
  });
});
