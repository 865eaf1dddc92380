// The grant helper and the FIS action table: wildcard actions never, wildcard resources only with a reason,
// and an FIS role gets the permissions of its own actions.
import { App, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { describe, expect, it } from 'vitest';
import { permissionsFor, UnknownFisActionError } from '../../infra/fis-permissions.js';
import { allow, LeastPrivilegeError, wildcardResources } from '../../infra/least-privilege.js';

const role = () => {
  const stack = new Stack(new App(), 'T');
  return new iam.Role(stack, 'R', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
};

describe('allow', () => {
  it('refuses a wildcard action', () => {
    expect(() => allow(role(), { actions: ['s3:Get*'], resources: ['arn:aws:s3:::b/k'] })).toThrow(LeastPrivilegeError);
  });

  it('refuses a wildcard resource without a reason, and acknowledges it with one', () => {
    const r = role();
    expect(() => allow(r, { actions: ['cloudwatch:GetMetricData'], resources: ['*'] })).toThrow(/needs a reason/);
    allow(r, { actions: ['cloudwatch:GetMetricData'], resources: ['*'], because: 'no resource type' });
    const acknowledged = r.node.metadata.filter((m) => m.type === 'aws:cdk:acknowledged-rules');
    expect(JSON.stringify(acknowledged)).toContain('AwsSolutions-IAM5[Resource::*]');
    expect(JSON.stringify(acknowledged)).toContain('no resource type');
  });

  it('renders wildcard resources the way cdk-nag names its findings', () => {
    const r = role();
    const arn = Stack.of(r).formatArn({ service: 'ec2', resource: 'instance', resourceName: '*' });
    expect(wildcardResources(r, [arn, 'arn:aws:s3:::bucket/key'])).toEqual([
      'arn:<AWS::Partition>:ec2:<AWS::Region>:<AWS::AccountId>:instance/*',
    ]);
  });
});

describe('permissionsFor', () => {
  const target = { resourceType: 'aws:rds:cluster', selectionMode: 'ALL' };

  it('scopes an action to its targets\u2019 ARNs when the template lists them', () => {
    const perms = permissionsFor(role(), 'x.yaml', 'failover', 'aws:rds:failover-db-cluster', [
      { ...target, resourceArns: ['arn:aws:rds:eu-west-1:111122223333:cluster:orders'] },
    ]);
    expect(perms[0]).toMatchObject({
      actions: ['rds:FailoverDBCluster'],
      resources: ['arn:aws:rds:eu-west-1:111122223333:cluster:orders'],
    });
  });

  it('needs nothing for the wait action', () => {
    expect(permissionsFor(role(), 'x.yaml', 'pause', 'aws:fis:wait', [])).toEqual([]);
  });

  it('limits API fault injection to the FIS action by condition', () => {
    const [perm] = permissionsFor(role(), 'x.yaml', 'throttle', 'aws:fis:inject-api-throttle-error', []);
    expect(perm?.conditions).toEqual({
      'ForAnyValue:StringEquals': { 'ec2:FisActionId': ['aws:fis:inject-api-throttle-error'] },
    });
  });

  it('refuses an unknown action id, naming the file and the action', () => {
    expect(() => permissionsFor(role(), 'experiments/x.yaml', 'odd', 'aws:ec2:levitate', [])).toThrow(
      UnknownFisActionError,
    );
    expect(() => permissionsFor(role(), 'experiments/x.yaml', 'odd', 'aws:ec2:levitate', [])).toThrow(
      /^experiments\/x\.yaml {2}fault\.template\.actions\.odd\.actionId {2}FIS action "aws:ec2:levitate"/,
    );
  });
});
