import { describe, expect, it } from 'vitest';
import { rampBlastRadiusChecks } from '../../../core/guardrails/ramp-blast-radius.js';
import type { TargetGroupPool } from '../../../core/targets/pools.js';

const pools = (eligible: number): TargetGroupPool[] => [
  {
    resourceType: 'aws:ec2:instance',
    distinct: eligible,
    targets: [{ target: 'web', eligible, selectionMode: 'COUNT(1)' }],
  },
];
const ramp = { target: 'web', steps: ['COUNT(1)', 'PERCENT(50)', 'ALL'] };

describe('rampBlastRadiusChecks', () => {
  it('checks every step before the first injection, each with its own selection, and allows them within the cap', () => {
    const checks = rampBlastRadiusChecks(pools(4), { ...ramp, from: 0 }, { maxTargets: 4 });
    expect(checks.map((c) => [c.ok, c.observed])).toEqual([
      [true, { 'aws:ec2:instance': { hit: 1, pool: 4 } }],
      [true, { 'aws:ec2:instance': { hit: 2, pool: 4 } }],
      [true, { 'aws:ec2:instance': { hit: 4, pool: 4 } }],
    ]);
    expect(checks[1]?.message).toBe(
      'blastRadius: step 2 of 3 (PERCENT(50)): would hit 2 of 4 aws:ec2:instance (50%), within maxTargets 4',
    );
  });

  it('refuses the run when its last step would exceed the cap', () => {
    const checks = rampBlastRadiusChecks(pools(4), { ...ramp, from: 0 }, { maxPercent: 50 });
    expect(checks.map((c) => c.ok)).toEqual([true, true, false]);
    expect(checks[2]?.message).toMatch(/^blastRadius: step 3 of 3 \(ALL\): would hit 4 of 4 .*above maxPercent 50%/);
  });

  it('before a later step, checks only the steps still to run, against the pool as it is then', () => {
    const checks = rampBlastRadiusChecks(pools(3), { ...ramp, from: 1 }, { maxTargets: 2 });
    expect(checks.map((c) => c.message.split(':').slice(0, 2).join(':'))).toEqual([
      'blastRadius: step 2 of 3 (PERCENT(50))',
      'blastRadius: step 3 of 3 (ALL)',
    ]);
    expect(checks.map((c) => c.ok)).toEqual([true, false]);
  });
});
