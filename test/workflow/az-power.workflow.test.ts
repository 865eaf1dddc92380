import { describe, expect, it } from 'vitest';
import { observe } from '../../core/steps/observe.js';
import { templateShape, validateTemplate } from '../../functions/aws/fis.js';
import { runWorkflow } from '../../local/workflow.js';
import { AZ_POWER_TEMPLATE, useMockedAccount } from '../support/az-power.js';
import { createWorld, experiment, type World } from './fakes.js';

const { pools } = useMockedAccount();

const NAME = 'checkout-instance-loss';
const TEMPLATE_ID = 'EXTazpower';

function azPowerWorld(raw: typeof AZ_POWER_TEMPLATE, uncounted?: string[]): World {
  const world = createWorld({
    experiment: experiment({
      fault: { templateId: TEMPLATE_ID, observe: 'PT5M', maxDuration: 'PT2S' },
      guardrails: {
        alarms: ['checkout-latency-high'],
        blastRadius: { maxTargets: 3, ...(uncounted ? { uncounted } : {}) },
      },
    }),
    templateId: TEMPLATE_ID,
  });
  world.deps.targets = pools;
  world.deps.templates = {
    describe: async (id) => ({
      id,
      tags: { 'shaketable:experiment': NAME },
      template: validateTemplate(templateShape({ ...raw, id }), id),
    }),
  };
  return world;
}

async function run(world: World) {
  const execution = runWorkflow(
    world.deps,
    { experiment: NAME },
    {
      runId: `az-${Math.random().toString(36).slice(2)}`,
      waitOverridesMs: { WaitForRecovery: 0 },
      retryPauseMs: 0,
      overrides: {
        Observe: async (i) => {
          world.advance((i as { fault: { waitSeconds: number } }).fault.waitSeconds * 1000);
          return observe(world.deps, i as never);
        },
      },
    },
  );
  const outcome = await execution.result;
  const states = execution.events.filter((e) => e.type === 'StateEntered').map((e) => e.state);
  return { outcome, states, result: world.stored.at(-1) };
}

describe('AZ Availability: Power Interruption, by templateId (real ASL)', () => {
  it('resolves every target through TargetPools, passes preflight and reaches a verdict', async () => {
    const world = azPowerWorld(AZ_POWER_TEMPLATE);
    // What FIS resolved (ListExperimentResolvedTargets; the adapter is tested in test/unit/aws/fis.test.ts).
    const hit = Array.from({ length: 120 }, (_, i) => `arn:aws:ec2:us-east-1:123456789012:volume/vol-${i}`);
    world.deps.faults.resolvedTargets = async () =>
      hit.map((resource) => ({ target: 'EBS-Volumes', resourceType: 'aws:ec2:ebs-volume', resource }));
    const r = await run(world);
    expect(r.outcome.status).toBe('SUCCEEDED');
    expect(r.result?.verdict).toBe('PASSED');
    // One iteration of ResolveTargets per resource type: RDS, ElastiCache and 5 others.
    expect(r.states.filter((s) => s === 'ResolveTargets')).toHaveLength(7);
    const blastRadius = r.result?.preflight.checks.find((c) => c.name === 'blastRadius');
    expect(blastRadius?.ok).toBe(true);
    expect(blastRadius?.observed).toEqual({
      'aws:iam:role': { hit: 1, pool: 1 },
      'aws:ec2:ebs-volume': { hit: 1, pool: 1 },
      'aws:ec2:instance': { hit: 3, pool: 3 },
      'aws:ec2:autoscaling-group': { hit: 1, pool: 1 },
      'aws:ec2:subnet': { hit: 1, pool: 1 },
      'aws:rds:cluster': { hit: 1, pool: 1 },
      'aws:elasticache:replicationgroup': { hit: 1, pool: 1 },
    });
    expect(world.calls).toContain('StartExperiment');
    expect(r.result?.fis.targets).toEqual(hit.slice(0, 100));
    expect(r.result?.fis.targetsTotal).toBe(120);
  });

  it('refuses (SKIPPED, not ERROR) a target whose pool AWS cannot count until the file opts it in', async () => {
    const withPods = {
      ...AZ_POWER_TEMPLATE,
      targets: {
        ...AZ_POWER_TEMPLATE.targets,
        'EKS-Pods': {
          resourceType: 'aws:eks:pod',
          parameters: {
            clusterIdentifier: 'checkout',
            namespace: 'shop',
            selectorType: 'labelSelector',
            selectorValue: 'app=checkout',
            availabilityZoneIdentifier: 'us-east-1a',
          },
          selectionMode: 'ALL',
        },
      },
      actions: {
        ...AZ_POWER_TEMPLATE.actions,
        'Delete-Pods': { actionId: 'aws:eks:pod-delete', parameters: {}, targets: { Pods: 'EKS-Pods' } },
      },
    };
    const refused = await run(azPowerWorld(withPods));
    expect(refused.result?.verdict).toBe('SKIPPED');
    expect(refused.result?.reasons.join('\n')).toMatch(
      /the pool of EKS-Pods \(aws:eks:pod\) cannot be counted: .*list it in guardrails\.blastRadius\.uncounted/,
    );
    const world = azPowerWorld(withPods, ['EKS-Pods']);
    const optedIn = await run(world);
    expect(optedIn.result?.verdict).toBe('PASSED');
    expect(world.calls).toContain('StartExperiment');
  });
});
