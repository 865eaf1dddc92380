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

  // Fixes 3 and 4 of issue 14, as the role gets them: FIS authorizes injected API errors against the experiment
  // (not ec2:InjectApiError), and draining acts on the cluster's container instances (not the cluster).
  it('grants API fault injection on this stack\u2019s experiments, not ec2:InjectApiError', () => {
    const r = role();
    const perms = permissionsFor(r, 'x.yaml', 'throttle', 'aws:fis:inject-api-throttle-error', [
      { resourceType: 'aws:iam:role', resourceArns: ['arn:aws:iam::111122223333:role/app'], selectionMode: 'ALL' },
    ]);
    expect(perms).toHaveLength(1);
    expect(perms[0]?.actions).toEqual(['fis:InjectApiThrottleError']);
    expect(wildcardResources(r, perms[0]!.resources)).toEqual([
      'arn:<AWS::Partition>:fis:<AWS::Region>:<AWS::AccountId>:experiment/*',
    ]);
    expect(perms.flatMap((p) => p.actions)).not.toContain('ec2:InjectApiError');
  });

  it('drains container instances with UpdateContainerInstancesState on container-instance ARNs', () => {
    const r = role();
    const perms = permissionsFor(r, 'x.yaml', 'drain', 'aws:ecs:drain-container-instances', [
      {
        resourceType: 'aws:ecs:cluster',
        resourceArns: ['arn:aws:ecs:eu-west-1:111122223333:cluster/web'],
        selectionMode: 'ALL',
      },
    ]);
    const update = perms.filter((p) => p.actions.includes('ecs:UpdateContainerInstancesState'));
    expect(update).toHaveLength(1);
    expect(wildcardResources(r, update[0]!.resources)).toEqual([
      'arn:<AWS::Partition>:ecs:<AWS::Region>:<AWS::AccountId>:container-instance/*',
    ]);
  });

  it('grants kms:CreateGrant to stop-instances only when it restarts the instances itself', () => {
    const web = [{ resourceType: 'aws:ec2:instance', resourceTags: { app: 'web' }, selectionMode: 'ALL' }];
    const actions = (parameters: Record<string, string>) =>
      permissionsFor(role(), 'x.yaml', 'stop', 'aws:ec2:stop-instances', web, parameters).flatMap((p) => p.actions);
    expect(actions({ startInstancesAfterDuration: 'PT5M' })).toContain('kms:CreateGrant');
    expect(actions({})).not.toContain('kms:CreateGrant');
    expect(actions({})).toContain('ec2:StopInstances');
  });

  it('refuses an unknown action id, naming the file and the action', () => {
    expect(() => permissionsFor(role(), 'experiments/x.yaml', 'odd', 'aws:ec2:levitate', [])).toThrow(
      UnknownFisActionError,
    );
    expect(() => permissionsFor(role(), 'experiments/x.yaml', 'odd', 'aws:ec2:levitate', [])).toThrow(
      /^experiments\/x\.yaml {2}fault\.template\.actions\.odd\.actionId {2}unknown FIS action "aws:ec2:levitate"; `shaketable actions` lists the \d+ FIS actions$/,
    );
  });
});
