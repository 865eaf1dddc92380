// workflow-limits for a ramp: every step is a full cycle inside the one execution, so the steps together must fit
// the state machine's overall timeout.
import { describe, expect, it } from 'vitest';
import { workflowLimits } from '../../../core/experiment/rules/workflow-limits.js';

const raw = (maxDuration: string, steps?: string[]) => ({
  steadyState: { period: 'PT1M', baseline: 'PT10M' },
  fault: { maxDuration, ...(steps ? { ramp: { target: 'web', steps } } : {}) },
  expect: { recovery: 'PT10M' },
});

describe('workflow-limits, ramp', () => {
  it('allows a ramp whose steps fit in 24 hours, and one long single run', () => {
    expect(workflowLimits.check(raw('PT2H', ['COUNT(1)', 'COUNT(2)', 'ALL']))).toEqual([]);
    expect(workflowLimits.check(raw('PT12H'))).toEqual([]);
  });

  it('refuses a ramp whose steps together outlast the run, at fault.ramp.steps', () => {
    const issues = workflowLimits.check(raw('PT10H', ['COUNT(1)', 'COUNT(2)', 'ALL']));
    expect(issues).toEqual([
      {
        path: ['fault', 'ramp', 'steps'],
        message:
          "3 steps × (baseline + maxDuration + recovery PT10H20M) = PT31H, longer than the PT24H a run can last within the state machine's 26 h timeout; use fewer steps or shorter phases",
      },
    ]);
  });
});
