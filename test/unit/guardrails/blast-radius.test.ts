import { describe, expect, it } from 'vitest';
import type { BlastRadius } from '../../../core/guardrails/blast-radius.js';
import { blastRadiusByType, blastRadiusCheck } from '../../../core/guardrails/blast-radius.js';
import type { TargetPool } from '../../../core/ports.js';
import { poolsByType, targetGroups } from '../../../core/targets/pools.js';

const instances = (n: number) => Array.from({ length: n }, (_, i) => `i-${String(i).padStart(4, '0')}`);
const pool = (
  selectionMode: string,
  eligible: string[],
  target = 'web',
  resourceType = 'aws:ec2:instance',
): TargetPool => ({
  target,
  resourceType,
  eligible,
  selectionMode,
});

// Pools reach the guardrail as counts per resource type, as the TargetPools map hands them to Preflight.
const checkPools = (pools: TargetPool[], limits: BlastRadius | undefined) =>
  blastRadiusCheck(poolsByType(pools), limits);
const byType = (pools: TargetPool[]) => blastRadiusByType(poolsByType(pools));

describe('blastRadiusCheck', () => {
  it('allows COUNT(1) of three instances under maxTargets 1', () => {
    const check = checkPools([pool('COUNT(1)', instances(3))], { maxTargets: 1, maxPercent: 50 });
    expect(check.ok).toBe(true);
    expect(check.observed).toEqual({ 'aws:ec2:instance': { hit: 1, pool: 3 } });
    expect(check.message).toBe(
      'blastRadius: would hit 1 of 3 aws:ec2:instance (33.3%), within maxTargets 1 and maxPercent 50%',
    );
  });

  it('refuses ALL of three instances under maxTargets 1', () => {
    const check = checkPools([pool('ALL', instances(3))], { maxTargets: 1 });
    expect(check.ok).toBe(false);
    expect(check.message).toBe(
      'blastRadius: would hit 3 of 3 aws:ec2:instance, above maxTargets 1; lower the selection mode or raise guardrails.blastRadius',
    );
  });

  it('allows exactly maxPercent of the pool', () => {
    expect(checkPools([pool('PERCENT(50)', instances(4))], { maxPercent: 50 }).ok).toBe(true);
  });

  it('refuses more than maxPercent of the pool, rounding a partial resource up', () => {
    // 50 % of 3 can hit 2 instances: 66.7 %.
    const check = checkPools([pool('PERCENT(50)', instances(3))], { maxPercent: 50 });
    expect(check.ok).toBe(false);
    expect(check.message).toContain('would hit 2 of 3 aws:ec2:instance (66.7%), above maxPercent 50%');
  });

  it('refuses COUNT(1) of a single instance under maxPercent 50: it would take the whole pool', () => {
    expect(checkPools([pool('COUNT(1)', instances(1))], { maxTargets: 1, maxPercent: 50 }).ok).toBe(false);
  });

  it('refuses an empty pool because no target matched', () => {
    const check = checkPools([pool('COUNT(1)', [])], { maxTargets: 1 });
    expect(check.ok).toBe(false);
    expect(check.message).toBe(
      "blastRadius: no target matched: web (aws:ec2:instance) resolved to 0 eligible resources; check the target's ARNs, tags and filters",
    );
  });

  it('refuses an empty pool even without blast-radius limits', () => {
    expect(checkPools([pool('ALL', []), pool('ALL', ['subnet-1'], 'net', 'aws:ec2:subnet')], undefined).ok).toBe(false);
  });

  it('passes a template with no target (an SSM runbook, a wait): FIS selects nothing, so there is nothing to count', () => {
    const check = checkPools([], { maxTargets: 1 });
    expect(check.ok).toBe(true);
    expect(check.message).toBe(
      'blastRadius: the template has no target (its actions select no resources); nothing to count',
    );
  });

  it('allows any non-empty pool when no limit is set', () => {
    const check = checkPools([pool('ALL', instances(10))], undefined);
    expect(check.ok).toBe(true);
    expect(check.message).toBe('blastRadius: would hit 10 of 10 aws:ec2:instance (100%), no limit set');
  });

  it('adds up targets of the same resource type, since they may hit different resources', () => {
    const pools = [pool('COUNT(1)', instances(4), 'a'), pool('COUNT(1)', instances(4), 'b')];
    expect(byType(pools)).toEqual([{ resourceType: 'aws:ec2:instance', hit: 2, pool: 4, percent: 50 }]);
    expect(checkPools(pools, { maxTargets: 1 }).ok).toBe(false);
    expect(checkPools(pools, { maxTargets: 2 }).ok).toBe(true);
  });

  it('never counts more hits than distinct resources', () => {
    const pools = [pool('ALL', instances(2), 'a'), pool('ALL', instances(2), 'b')];
    expect(byType(pools)[0]).toMatchObject({ hit: 2, pool: 2 });
  });

  it('judges different resource types separately', () => {
    const pools = [pool('COUNT(1)', instances(4)), pool('ALL', ['subnet-1'], 'net', 'aws:ec2:subnet')];
    expect(checkPools(pools, { maxTargets: 1 }).ok).toBe(true);
    expect(checkPools(pools, { maxTargets: 1, maxPercent: 50 }).ok).toBe(false);
  });

  it('refuses a selection mode it cannot understand', () => {
    const check = checkPools([pool('SOME(2)', instances(3))], { maxTargets: 1 });
    expect(check.ok).toBe(false);
    expect(check.message).toContain('selection mode "SOME(2)"');
  });
});

describe('poolsByType', () => {
  it('counts distinct resources per type and each target’s own pool, without the ids', () => {
    const pools = [
      pool('COUNT(1)', ['i-1', 'i-2'], 'a'),
      pool('ALL', ['i-2', 'i-3', 'i-3'], 'b'),
      pool('ALL', ['subnet-1'], 'net', 'aws:ec2:subnet'),
    ];
    expect(poolsByType(pools)).toEqual([
      {
        resourceType: 'aws:ec2:instance',
        distinct: 3,
        targets: [
          { target: 'a', eligible: 2, selectionMode: 'COUNT(1)' },
          { target: 'b', eligible: 2, selectionMode: 'ALL' },
        ],
      },
      { resourceType: 'aws:ec2:subnet', distinct: 1, targets: [{ target: 'net', eligible: 1, selectionMode: 'ALL' }] },
    ]);
  });
});

describe('targetGroups', () => {
  it('groups a template’s targets by resource type, in the template’s order', () => {
    const target = (resourceType: string) => ({ resourceType, resourceTags: { app: 'x' }, selectionMode: 'ALL' });
    const groups = targetGroups({
      targets: { web: target('aws:ec2:instance'), db: target('aws:rds:db'), api: target('aws:ec2:instance') },
    });
    expect(groups).toEqual([
      {
        resourceType: 'aws:ec2:instance',
        targets: { web: target('aws:ec2:instance'), api: target('aws:ec2:instance') },
      },
      { resourceType: 'aws:rds:db', targets: { db: target('aws:rds:db') } },
    ]);
  });
});

describe('pools AWS APIs cannot count (guardrails.blastRadius.uncounted)', () => {
  const pods: TargetPool = {
    ...pool('COUNT(1)', [], 'pods', 'aws:eks:pod'),
    uncounted: 'FIS picks pods inside the cluster through the Kubernetes API',
  };

  it('refuses an uncounted pool the file did not opt in, saying why and what to do', () => {
    const check = blastRadiusCheck(poolsByType([pool('COUNT(1)', instances(4)), pods]), { maxTargets: 1 });
    expect(check.ok).toBe(false);
    expect(check.message).toBe(
      'blastRadius: the pool of pods (aws:eks:pod) cannot be counted: FIS picks pods inside the cluster through the Kubernetes API; list it in guardrails.blastRadius.uncounted to run without counting',
    );
  });

  it('passes an opted-in uncounted pool, still counting the others against the limits', () => {
    const pools = poolsByType([pool('COUNT(1)', instances(4)), pods]);
    const ok = blastRadiusCheck(pools, { maxTargets: 1, uncounted: ['pods'] });
    expect(ok.ok).toBe(true);
    expect(ok.observed).toEqual({ 'aws:ec2:instance': { hit: 1, pool: 4 } });
    expect(ok.message).toContain('an uncounted share of pods (aws:eks:pod, opted in)');
    const over = blastRadiusCheck(poolsByType([pool('ALL', instances(4)), pods]), {
      maxTargets: 1,
      uncounted: ['pods'],
    });
    expect(over.ok).toBe(false);
  });
});

describe('emptyTargetResolutionMode', () => {
  const pools = poolsByType([pool('ALL', instances(2)), pool('ALL', [], 'cache', 'aws:elasticache:replicationgroup')]);

  it('refuses an empty target by default (FIS fails the experiment)', () => {
    expect(blastRadiusCheck(pools, undefined).ok).toBe(false);
  });

  it('passes it with skip (FIS skips its actions), saying so, but refuses when nothing at all can be hit', () => {
    const check = blastRadiusCheck(pools, undefined, { emptyTargetResolutionMode: 'skip' });
    expect(check.ok).toBe(true);
    expect(check.message).toContain('FIS skips cache (aws:elasticache:replicationgroup): 0 eligible');
    const none = poolsByType([pool('ALL', []), pool('ALL', [], 'cache', 'aws:elasticache:replicationgroup')]);
    expect(blastRadiusCheck(none, undefined, { emptyTargetResolutionMode: 'skip' }).ok).toBe(false);
  });
});
