// fis-target-arns: a target's resourceArns have the shape the FIS action table gives its resource type, so the ARN
// CloudFormation would refuse in the FIS role's policy (a placeholder account, a missing field) is refused by
// validate at its own line instead of by synth.
import { describe, expect, it } from 'vitest';
import { fisTargetArns } from '../../../core/experiment/rules/fis-target-arns.js';
import { validateSources } from '../../../core/experiment/validate.js';

// biome-ignore lint/suspicious/noExplicitAny: raw YAML documents are untyped by nature
type Raw = any;

function withTarget(resourceType: string, resourceArns: unknown[]): Raw {
  return {
    fault: { template: { targets: { t: { resourceType, resourceArns, selectionMode: 'ALL' } }, actions: {} } },
  };
}

const refused = (resourceType: string, arns: unknown[]) =>
  fisTargetArns.check(withTarget(resourceType, arns)).map((i) => ({ path: i.path.join('.'), message: i.message }));

describe('fis-target-arns', () => {
  it.each([
    ['aws:dynamodb:global-table', 'arn:aws:dynamodb:eu-central-1:123456789012:table/orders'],
    ['aws:dynamodb:global-table', 'arn:aws:dynamodb:REPLACE-ME-region:123456789012:table/REPLACE-ME-table'],
    ['aws:iam:role', 'arn:aws:iam::123456789012:role/service-role/launcher'],
    ['aws:ec2:instance', 'arn:aws-cn:ec2:cn-north-1:123456789012:instance/i-0123456789abcdef0'],
    ['aws:ecs:task', 'arn:aws:ecs:us-east-1:123456789012:task/web/0123456789abcdef'],
    ['aws:rds:cluster', 'arn:aws:rds:us-east-1:123456789012:cluster:orders'],
    ['aws:elasticache:replicationgroup', 'arn:aws:elasticache:us-east-1:123456789012:replicationgroup:sessions'],
    ['aws:lambda:function', 'arn:aws:lambda:us-east-1:123456789012:function:checkout:live'],
    [
      'aws:ec2:autoscaling-group',
      'arn:aws:autoscaling:us-east-1:123456789012:autoScalingGroup:0f1e2d3c-aaaa-bbbb-cccc-0123456789ab:autoScalingGroupName/web',
    ],
    ['aws:s3:bucket', 'arn:aws:s3:::reports-bucket'],
  ])('allows a %s ARN: %s', (type, arn) => {
    expect(refused(type, [arn])).toEqual([]);
  });

  it('refuses an account that is not 12 digits, naming the shape to write', () => {
    expect(
      refused('aws:dynamodb:global-table', ['arn:aws:dynamodb:us-east-1:REPLACE-ME-account:table/orders']),
    ).toEqual([
      {
        path: 'fault.template.targets.t.resourceArns.0',
        message:
          '"arn:aws:dynamodb:us-east-1:REPLACE-ME-account:table/orders" is not an ARN of aws:dynamodb:global-table; ' +
          'write it as arn:aws:dynamodb:<region>:<12-digit account>:table/<name>',
      },
    ]);
  });

  it('refuses an ARN of another service or resource, a regional IAM ARN, a name instead of an ARN', () => {
    expect(refused('aws:rds:cluster', ['arn:aws:rds:us-east-1:123456789012:db:orders-1'])).toHaveLength(1);
    expect(refused('aws:iam:role', ['arn:aws:iam:us-east-1:123456789012:role/app'])).toHaveLength(1);
    expect(
      refused('aws:ec2:instance', ['i-0123456789abcdef0', 'arn:aws:ec2:us-east-1:123456789012:instance/i-1']),
    ).toEqual([expect.objectContaining({ path: 'fault.template.targets.t.resourceArns.0' })]);
  });

  it('leaves unknown resource types (fis-target-parameters) and sandbox files alone', () => {
    expect(refused('aws:ec2:levitator', ['nope'])).toEqual([]);
    expect(fisTargetArns.check({ ...withTarget('aws:ec2:instance', ['nope']), provider: 'local' })).toEqual([]);
  });

  it("is reported by validate at the ARN's own line", () => {
    const content = [
      'version: 1',
      'name: throttle-arn',
      'description: x',
      'owner: team',
      'hypothesis: x',
      'fault:',
      '  template:',
      '    targets:',
      '      caller:',
      '        resourceType: aws:iam:role',
      '        resourceArns:',
      '          - arn:aws:iam::1234:role/app',
      '        selectionMode: ALL',
      '    actions:',
      '      throttle:',
      '        actionId: aws:fis:inject-api-throttle-error',
      '        parameters: { service: ec2, operations: DescribeInstances, percentage: 50, duration: PT5M }',
      '        targets: { Roles: caller }',
      '    stopConditions: [ errors-high ]',
      '  maxDuration: PT20M',
      'steadyState:',
      '  baseline: PT10M',
      '  period: PT1M',
      '  probes:',
      '    errors: { metric: { namespace: AWS/Lambda, name: Errors, stat: Sum }, tolerance: { max: 0 } }',
      'expect: { recovery: PT5M }',
    ].join('\n');
    const [report] = validateSources([{ file: 'throttle-arn.yaml', content }]);
    expect(report!.issues.map((i) => `${i.line}:${i.col}  ${i.path}`)).toEqual([
      '12:13  fault.template.targets.caller.resourceArns[0]',
    ]);
  });
});
