import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ExternalTemplate } from '../../../core/ports.js';
import { canonicalJson, lockKey, TargetsUnknownError } from '../../../core/targets/lock-key.js';
import { experimentFixture } from '../guardrails/experiment-fixture.js';

type Targets = Record<string, Record<string, unknown>>;

function withTargets(targets: Targets, name = 'checkout-instance-loss') {
  return experimentFixture({
    name,
    fault: {
      template: {
        targets: targets as never,
        actions: {
          act: { actionId: 'aws:ec2:terminate-instances', targets: { Instances: Object.keys(targets)[0] ?? 'web' } },
        },
        stopConditions: ['checkout-5xx-high'],
      },
      maxDuration: 'PT15M',
    },
  });
}

const web = {
  resourceType: 'aws:ec2:instance',
  resourceTags: { app: 'checkout', env: 'staging' },
  filters: [
    { path: 'State.Name', values: ['running', 'pending'] },
    { path: 'Placement.AvailabilityZone', values: ['eu-central-1a'] },
  ],
  selectionMode: 'COUNT(1)',
};

/** The same value with the keys of every object in a random order. */
function shuffleKeys(value: unknown, order: number[]): unknown {
  if (Array.isArray(value)) return value.map((v) => shuffleKeys(v, order));
  if (value && typeof value === 'object') {
    const entries = Object.entries(value);
    const shuffled = entries
      .map((e, i) => ({ e, k: order[i % order.length] ?? 0 }))
      .sort((a, b) => a.k - b.k)
      .map(({ e }) => e);
    return Object.fromEntries(shuffled.map(([k, v]) => [k, shuffleKeys(v, order)]));
  }
  return value;
}

describe('lockKey', () => {
  it('is a sha256 hex digest', () => {
    expect(lockKey(withTargets({ web }))).toMatch(/^[0-9a-f]{64}$/);
  });

  it('gives two experiments aimed at the same targets the same key, whatever they call them', () => {
    const a = withTargets({ web }, 'checkout-instance-loss');
    const b = withTargets({ instances: { ...web, selectionMode: 'ALL' } }, 'checkout-cpu-stress');
    expect(lockKey(a)).toBe(lockKey(b));
  });

  it('ignores the order of ARNs, filters, filter values and duplicate targets', () => {
    const a = withTargets({ web: { ...web, resourceArns: undefined } });
    const b = withTargets({
      one: { ...web, filters: [...web.filters].reverse().map((f) => ({ ...f, values: [...f.values].reverse() })) },
      two: web,
    });
    expect(lockKey(a)).toBe(lockKey(b));
    const arns = [
      'arn:aws:ec2:eu-central-1:111122223333:instance/i-1',
      'arn:aws:ec2:eu-central-1:111122223333:instance/i-2',
    ];
    const byArn = (list: string[]) =>
      withTargets({ web: { resourceType: 'aws:ec2:instance', resourceArns: list, selectionMode: 'ALL' } });
    expect(lockKey(byArn(arns))).toBe(lockKey(byArn([...arns].reverse())));
  });

  it('treats empty parameters as no parameters', () => {
    expect(lockKey(withTargets({ web: { ...web, parameters: {} } }))).toBe(lockKey(withTargets({ web })));
  });

  it('differs when the targets differ', () => {
    const base = lockKey(withTargets({ web }));
    expect(lockKey(withTargets({ web: { ...web, resourceTags: { app: 'payments' } } }))).not.toBe(base);
    expect(lockKey(withTargets({ web: { ...web, resourceType: 'aws:ec2:spot-instance' } }))).not.toBe(base);
    expect(lockKey(withTargets({ web: { ...web, filters: [] } }))).not.toBe(base);
    expect(lockKey(withTargets({ web: { ...web, parameters: { availabilityZoneIdentifier: 'euc1-az1' } } }))).not.toBe(
      base,
    );
    expect(
      lockKey(
        withTargets({
          web,
          db: { resourceType: 'aws:rds:cluster', resourceTags: { app: 'checkout' }, selectionMode: 'ALL' },
        }),
      ),
    ).not.toBe(base);
  });

  it('does not depend on the order of keys anywhere in the targets', () => {
    const targets: Targets = {
      web,
      db: {
        resourceType: 'aws:rds:cluster',
        resourceTags: { app: 'checkout', tier: 'db' },
        parameters: { writer: 'true', b: 'x' },
        selectionMode: 'ALL',
      },
    };
    const expected = lockKey(withTargets(targets));
    fc.assert(
      fc.property(fc.array(fc.integer(), { minLength: 1, maxLength: 8 }), (order) => {
        return lockKey(withTargets(shuffleKeys(targets, order) as Targets)) === expected;
      }),
    );
  });

  it('uses the external template of a templateId experiment', () => {
    const experiment = experimentFixture({ fault: { templateId: 'EXTabc123', maxDuration: 'PT15M' } });
    expect(() => lockKey(experiment)).toThrow(TargetsUnknownError);
    const external: ExternalTemplate = {
      id: 'EXTabc123',
      tags: { 'shaketable:experiment': 'checkout-instance-loss' },
      template: withTargets({ web }).fault.template!,
    };
    expect(lockKey(experiment, external)).toBe(lockKey(withTargets({ web })));
  });
});

describe('canonicalJson', () => {
  it('sorts keys at every depth and drops undefined members', () => {
    expect(canonicalJson({ b: 1, a: { d: [{ z: 1, y: 2 }], c: undefined } })).toBe('{"a":{"d":[{"y":2,"z":1}]},"b":1}');
  });

  it('is the same for any order of keys', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.array(fc.integer(), { minLength: 1, maxLength: 8 }), (value, order) => {
        return canonicalJson(shuffleKeys(value, order)) === canonicalJson(value);
      }),
    );
  });
});
