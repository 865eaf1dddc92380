import { DescribeInstancesCommand, DescribeSubnetsCommand, EC2Client } from '@aws-sdk/client-ec2';
import { DescribeTasksCommand, ECSClient, ListClustersCommand, ListTasksCommand } from '@aws-sdk/client-ecs';
import { GetFunctionCommand, LambdaClient, ListFunctionsCommand } from '@aws-sdk/client-lambda';
import { DescribeDBClustersCommand, DescribeDBInstancesCommand, RDSClient } from '@aws-sdk/client-rds';
import { GetResourcesCommand, ResourceGroupsTaggingAPIClient } from '@aws-sdk/client-resource-groups-tagging-api';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import type { Target } from '../../../core/experiment/schema.js';
import { AwsTargetPools, matchesFilters, taggingResourceType, valuesAtPath } from '../../../functions/aws/targets.js';

const region = 'eu-central-1';
const clients = {
  ec2: new EC2Client({ region }),
  ecs: new ECSClient({ region }),
  lambda: new LambdaClient({ region }),
  tagging: new ResourceGroupsTaggingAPIClient({ region }),
};
const rdsClient = new RDSClient({ region });
const ec2 = mockClient(clients.ec2);
const ecs = mockClient(clients.ecs);
const rds = mockClient(rdsClient);
const lambda = mockClient(clients.lambda);
const tagging = mockClient(clients.tagging);
const resolver = new AwsTargetPools({ ...clients, rds: rdsClient });

beforeEach(() => {
  for (const m of [ec2, ecs, rds, lambda, tagging]) m.reset();
});

const target = (t: Partial<Target> & { resourceType: string }): Target => ({ selectionMode: 'ALL', ...t });

describe('EC2 instances', () => {
  it('sends tags and mappable FIS filters to DescribeInstances, checks every filter itself, and pages', async () => {
    const instance = (id: string, state: 'running' | 'stopped', az = 'eu-central-1a') => ({
      InstanceId: id,
      State: { Name: state },
      Placement: { AvailabilityZone: az },
      Tags: [{ Key: 'app', Value: 'checkout' }],
    });
    ec2
      .on(DescribeInstancesCommand, { NextToken: undefined })
      .resolves({
        NextToken: 'n2',
        Reservations: [{ OwnerId: '111122223333', Instances: [instance('i-1', 'running')] }],
      })
      .on(DescribeInstancesCommand, { NextToken: 'n2' })
      .resolves({
        Reservations: [
          // the server-side filter was not applied here: the client-side check still excludes it
          { OwnerId: '111122223333', Instances: [instance('i-2', 'running'), instance('i-3', 'stopped')] },
        ],
      });
    const pool = await resolver.resolve(
      'web',
      target({
        resourceType: 'aws:ec2:instance',
        resourceTags: { app: 'checkout' },
        filters: [
          { path: 'State.Name', values: ['running'] },
          { path: 'Placement.AvailabilityZone', values: ['eu-central-1a'] },
        ],
        selectionMode: 'COUNT(1)',
      }),
    );

    expect(pool).toEqual({
      target: 'web',
      resourceType: 'aws:ec2:instance',
      selectionMode: 'COUNT(1)',
      eligible: [
        'arn:aws:ec2:eu-central-1:111122223333:instance/i-1',
        'arn:aws:ec2:eu-central-1:111122223333:instance/i-2',
      ],
    });
    expect(ec2.commandCalls(DescribeInstancesCommand)[0]?.args[0].input).toEqual({
      Filters: [
        { Name: 'tag:app', Values: ['checkout'] },
        { Name: 'instance-state-name', Values: ['running'] },
        { Name: 'availability-zone', Values: ['eu-central-1a'] },
      ],
      NextToken: undefined,
    });
    expect(ec2.commandCalls(DescribeInstancesCommand)).toHaveLength(2);
  });

  it('looks up explicit resourceArns by instance id', async () => {
    ec2.on(DescribeInstancesCommand).resolves({ Reservations: [{ OwnerId: '1', Instances: [{ InstanceId: 'i-9' }] }] });
    await resolver.resolve(
      'web',
      target({ resourceType: 'aws:ec2:instance', resourceArns: ['arn:aws:ec2:eu-central-1:1:instance/i-9'] }),
    );
    expect(ec2.commandCalls(DescribeInstancesCommand)[0]?.args[0].input).toEqual({
      InstanceIds: ['i-9'],
      NextToken: undefined,
    });
  });

  it('leaves a pool uncounted, with the reason, for a parameter it cannot apply instead of guessing', async () => {
    const pool = await resolver.resolve(
      'web',
      target({ resourceType: 'aws:ec2:instance', parameters: { foo: 'bar' } }),
    );
    expect(pool.eligible).toEqual([]);
    expect(pool.uncounted).toMatch(/parameter\(s\) foo of aws:ec2:instance cannot be applied/);
    expect(ec2.calls()).toHaveLength(0);
  });
});

describe('EC2 subnets', () => {
  it('maps the vpc and availabilityZoneIdentifier parameters to DescribeSubnets filters', async () => {
    ec2.on(DescribeSubnetsCommand).resolves({
      Subnets: [
        {
          SubnetId: 'subnet-1',
          SubnetArn: 'arn:aws:ec2:eu-central-1:1:subnet/subnet-1',
          Tags: [{ Key: 'tier', Value: 'app' }],
        },
      ],
    });
    const pool = await resolver.resolve(
      'subnets',
      target({
        resourceType: 'aws:ec2:subnet',
        resourceTags: { tier: 'app' },
        parameters: { vpc: 'vpc-1', availabilityZoneIdentifier: 'euc1-az2' },
      }),
    );
    expect(pool.eligible).toEqual(['arn:aws:ec2:eu-central-1:1:subnet/subnet-1']);
    expect(ec2.commandCalls(DescribeSubnetsCommand)[0]?.args[0].input).toEqual({
      Filters: [
        { Name: 'tag:tier', Values: ['app'] },
        { Name: 'vpc-id', Values: ['vpc-1'] },
        { Name: 'availability-zone-id', Values: ['euc1-az2'] },
      ],
      NextToken: undefined,
    });
  });
});

describe('ECS tasks', () => {
  it('lists the running tasks of the cluster and service, describes them 100 at a time with tags', async () => {
    const arns = Array.from({ length: 150 }, (_, i) => `arn:aws:ecs:eu-central-1:1:task/shop/t${i}`);
    ecs
      .on(ListTasksCommand, { nextToken: undefined })
      .resolves({ nextToken: 'p2', taskArns: arns.slice(0, 100) })
      .on(ListTasksCommand, { nextToken: 'p2' })
      .resolves({ taskArns: arns.slice(100) });
    ecs.on(DescribeTasksCommand).callsFake((input) => ({
      tasks: (input.tasks as string[]).map((taskArn, i) => ({
        taskArn,
        lastStatus: 'RUNNING',
        tags: [{ key: 'app', value: i % 2 === 0 ? 'checkout' : 'other' }],
      })),
    }));
    const pool = await resolver.resolve(
      'tasks',
      target({
        resourceType: 'aws:ecs:task',
        resourceTags: { app: 'checkout' },
        parameters: { cluster: 'shop', service: 'web' },
      }),
    );

    expect(ecs.commandCalls(ListTasksCommand)[0]?.args[0].input).toEqual({
      cluster: 'shop',
      serviceName: 'web',
      desiredStatus: 'RUNNING',
      nextToken: undefined,
    });
    const describes = ecs.commandCalls(DescribeTasksCommand).map((c) => c.args[0].input);
    expect(describes.map((d) => [d.cluster, d.tasks?.length, d.include])).toEqual([
      ['shop', 100, ['TAGS']],
      ['shop', 50, ['TAGS']],
    ]);
    expect(pool.eligible).toHaveLength(75);
    expect(ecs.commandCalls(ListClustersCommand)).toHaveLength(0);
  });

  it('reads every cluster when no cluster parameter is given', async () => {
    ecs.on(ListClustersCommand).resolves({ clusterArns: ['arn:aws:ecs:eu-central-1:1:cluster/a'] });
    ecs.on(ListTasksCommand).resolves({ taskArns: [] });
    const pool = await resolver.resolve('tasks', target({ resourceType: 'aws:ecs:task', resourceTags: { app: 'x' } }));
    expect(pool.eligible).toEqual([]);
    expect(ecs.commandCalls(ListTasksCommand)[0]?.args[0].input.cluster).toBe('arn:aws:ecs:eu-central-1:1:cluster/a');
  });
});

describe('RDS', () => {
  it('keeps clusters carrying the target tags, across Marker pages', async () => {
    rds
      .on(DescribeDBClustersCommand, { Marker: undefined })
      .resolves({ Marker: 'm2', DBClusters: [{ DBClusterArn: 'arn:c1', TagList: [{ Key: 'app', Value: 'orders' }] }] })
      .on(DescribeDBClustersCommand, { Marker: 'm2' })
      .resolves({ DBClusters: [{ DBClusterArn: 'arn:c2', TagList: [{ Key: 'app', Value: 'billing' }] }] });
    const pool = await resolver.resolve(
      'db',
      target({ resourceType: 'aws:rds:cluster', resourceTags: { app: 'orders' } }),
    );
    expect(pool.eligible).toEqual(['arn:c1']);
    expect(rds.commandCalls(DescribeDBClustersCommand)).toHaveLength(2);
  });

  it('filters DB instances by ARN on the server', async () => {
    rds
      .on(DescribeDBInstancesCommand)
      .resolves({ DBInstances: [{ DBInstanceArn: 'arn:aws:rds:eu-central-1:1:db:orders-1' }] });
    const pool = await resolver.resolve(
      'db',
      target({ resourceType: 'aws:rds:db', resourceArns: ['arn:aws:rds:eu-central-1:1:db:orders-1'] }),
    );
    expect(pool.eligible).toEqual(['arn:aws:rds:eu-central-1:1:db:orders-1']);
    expect(rds.commandCalls(DescribeDBInstancesCommand)[0]?.args[0].input).toEqual({
      Filters: [{ Name: 'db-instance-id', Values: ['arn:aws:rds:eu-central-1:1:db:orders-1'] }],
      Marker: undefined,
    });
  });
});

describe('Lambda functions', () => {
  it('lists functions and reads the tags of each candidate', async () => {
    lambda
      .on(ListFunctionsCommand, { Marker: undefined })
      .resolves({
        NextMarker: 'm2',
        Functions: [{ FunctionName: 'a', FunctionArn: 'arn:fn:a', Runtime: 'nodejs20.x' }],
      })
      .on(ListFunctionsCommand, { Marker: 'm2' })
      .resolves({ Functions: [{ FunctionName: 'b', FunctionArn: 'arn:fn:b', Runtime: 'python3.12' }] });
    lambda
      .on(GetFunctionCommand, { FunctionName: 'arn:fn:a' })
      .resolves({ Configuration: { FunctionArn: 'arn:fn:a' }, Tags: { app: 'checkout' } });
    const pool = await resolver.resolve(
      'fns',
      target({
        resourceType: 'aws:lambda:function',
        resourceTags: { app: 'checkout' },
        filters: [{ path: 'Runtime', values: ['nodejs20.x'] }],
      }),
    );
    expect(pool.eligible).toEqual(['arn:fn:a']);
    // b failed the Runtime filter, so its tags were never read
    expect(lambda.commandCalls(GetFunctionCommand).map((c) => c.args[0].input.FunctionName)).toEqual(['arn:fn:a']);
  });
});

describe('other resource types (Resource Groups Tagging API)', () => {
  it('asks GetResources for the tagged resources of the derived type, across pages', async () => {
    tagging
      .on(GetResourcesCommand, { PaginationToken: undefined })
      .resolves({ PaginationToken: 'g2', ResourceTagMappingList: [{ ResourceARN: 'arn:asg:1' }] })
      .on(GetResourcesCommand, { PaginationToken: 'g2' })
      .resolves({ PaginationToken: '', ResourceTagMappingList: [{ ResourceARN: 'arn:asg:2' }] });
    const pool = await resolver.resolve(
      'asg',
      target({ resourceType: 'aws:ec2:autoscaling-group', resourceTags: { app: 'checkout' } }),
    );
    expect(pool.eligible).toEqual(['arn:asg:1', 'arn:asg:2']);
    expect(tagging.commandCalls(GetResourcesCommand)[0]?.args[0].input).toEqual({
      ResourceTypeFilters: ['autoscaling:autoScalingGroup'],
      TagFilters: [{ Key: 'app', Values: ['checkout'] }],
      ResourcesPerPage: 100,
      PaginationToken: undefined,
    });
  });

  it('leaves the pool uncounted when filters cannot be applied to such types (never an error)', async () => {
    const pool = await resolver.resolve(
      'q',
      target({
        resourceType: 'aws:eks:nodegroup',
        resourceTags: { a: 'b' },
        filters: [{ path: 'x', values: ['y'] }],
      }),
    );
    expect(pool.uncounted).toMatch(/filters cannot be applied to aws:eks:nodegroup: .*tag:GetResources/);
    expect(tagging.commandCalls(GetResourcesCommand)).toHaveLength(0);
  });

  it('derives tagging types from FIS types', () => {
    expect(taggingResourceType('aws:eks:nodegroup')).toBe('eks:nodegroup');
    expect(taggingResourceType('aws:ec2:ebs-volume')).toBe('ec2:volume');
  });
});

describe('FIS filter paths', () => {
  const instance = {
    State: { Name: 'running' },
    SecurityGroups: [{ GroupId: 'sg-1' }, { GroupId: 'sg-2' }],
    availabilityZone: 'a',
  };

  it('walks objects and arrays, matching keys exactly or ignoring case', () => {
    expect(valuesAtPath(instance, 'SecurityGroups.GroupId')).toEqual(['sg-1', 'sg-2']);
    expect(valuesAtPath(instance, 'AvailabilityZone')).toEqual(['a']);
  });

  it('matches when every filter has one of its values, and not otherwise', () => {
    expect(matchesFilters(instance, [{ path: 'SecurityGroups.GroupId', values: ['sg-2', 'sg-9'] }])).toBe(true);
    expect(
      matchesFilters(instance, [
        { path: 'State.Name', values: ['running'] },
        { path: 'SecurityGroups.GroupId', values: ['sg-9'] },
      ]),
    ).toBe(false);
  });
});
