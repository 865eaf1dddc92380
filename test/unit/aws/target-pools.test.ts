import { DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import {
  DescribeAvailabilityZonesCommand,
  DescribeInstancesCommand,
  DescribeSubnetsCommand,
  DescribeTransitGatewaysCommand,
  DescribeVolumesCommand,
  DescribeVpcEndpointsCommand,
} from '@aws-sdk/client-ec2';
import { DescribeClustersCommand, ListClustersCommand } from '@aws-sdk/client-ecs';
import { ListTagsForResourceCommand } from '@aws-sdk/client-elasticache';
import { GetResourcesCommand } from '@aws-sdk/client-resource-groups-tagging-api';
import { describe, expect, it } from 'vitest';
import type { Target } from '../../../core/experiment/schema.js';
import { FIS_RESOURCE_TYPES } from '../../../core/fis/resource-types.js';
import { POOL_READS, uncountedReason } from '../../../core/targets/pools.js';
import { templateShape, validateTemplate } from '../../../functions/aws/fis.js';
import { AZ_POWER_TEMPLATE, useMockedAccount } from '../../support/az-power.js';

const { pools: resolver, mocks } = useMockedAccount();
const target = (t: Partial<Target> & { resourceType: string }): Target => ({ selectionMode: 'ALL', ...t });

describe('the AZ Availability: Power Interruption scenario', () => {
  const template = validateTemplate(templateShape(AZ_POWER_TEMPLATE), 'EXTazpower');

  it('reads back from FIS as a template every one of whose targets can be counted', () => {
    expect(Object.keys(template.targets)).toHaveLength(8);
    for (const t of Object.values(template.targets)) expect(uncountedReason(t)).toBeUndefined();
  });

  it('resolves every target with its tags, filters and parameters applied, as FIS applies them', async () => {
    const pools = Object.fromEntries(
      await Promise.all(
        Object.entries(template.targets).map(async ([name, t]) => [name, await resolver.resolve(name, t)] as const),
      ),
    );
    const eligible = Object.fromEntries(Object.entries(pools).map(([name, p]) => [name, p.eligible]));
    expect(eligible).toEqual({
      'IAM-role': ['arn:aws:iam::123456789012:role/checkout-app'],
      // Attachments.DeleteOnTermination false: the root volume is left out.
      'EBS-Volumes': ['vol-keep'],
      // running, in us-east-1a: i-b1 (us-east-1b) and i-stopped are left out.
      'EC2-Instances': [
        'arn:aws:ec2:us-east-1:123456789012:instance/i-a1',
        'arn:aws:ec2:us-east-1:123456789012:instance/i-a2',
      ],
      ASG: ['arn:aws:autoscaling:us-east-1:123456789012:autoScalingGroup:1:autoScalingGroupName/web'],
      'ASG-EC2-Instances': ['arn:aws:ec2:us-east-1:123456789012:instance/i-asg1'],
      Subnet: ['arn:aws:ec2:us-east-1:123456789012:subnet/subnet-a'],
      // The writer of `users` is in us-east-1b.
      'RDS-Cluster': ['arn:aws:rds:us-east-1:123456789012:cluster:orders'],
      // cache-b has no node in us-east-1a.
      'ElastiCache-Cluster': ['arn:aws:elasticache:us-east-1:123456789012:replicationgroup:sessions'],
    });
    expect(Object.values(pools).filter((p) => p.uncounted)).toEqual([]);
    expect(mocks.ec2.commandCalls(DescribeVolumesCommand)[0]?.args[0].input.Filters).toEqual([
      { Name: 'tag:AzImpairmentPower', Values: ['ApiPauseVolume'] },
      { Name: 'availability-zone', Values: ['us-east-1a'] },
    ]);
  });
});

describe('AZ parameters take an AZ name or an AZ id', () => {
  it('maps an AZ id to its name for RDS writers (DescribeAvailabilityZones), and refuses the other AZ', async () => {
    const pool = await resolver.resolve(
      'db',
      target({ resourceType: 'aws:rds:cluster', parameters: { writerAvailabilityZoneIdentifiers: 'use1-az2' } }),
    );
    expect(pool.eligible).toEqual(['arn:aws:rds:us-east-1:123456789012:cluster:users']);
  });

  it('takes a comma-separated list, and `all` keeps every cluster', async () => {
    const list = await resolver.resolve(
      'db',
      target({
        resourceType: 'aws:rds:cluster',
        parameters: { writerAvailabilityZoneIdentifiers: 'us-east-1a, us-east-1b' },
      }),
    );
    expect(list.eligible).toHaveLength(2);
    const all = await resolver.resolve(
      'db',
      target({ resourceType: 'aws:rds:cluster', parameters: { writerAvailabilityZoneIdentifiers: 'all' } }),
    );
    expect(all.eligible).toHaveLength(2);
    expect(mocks.ec2.commandCalls(DescribeAvailabilityZonesCommand)).toHaveLength(0);
  });

  it('keeps DB instances in availabilityZoneIdentifiers and leaves the others out', async () => {
    const pool = await resolver.resolve(
      'db',
      target({ resourceType: 'aws:rds:db', parameters: { availabilityZoneIdentifiers: 'us-east-1b' } }),
    );
    expect(pool.eligible).toEqual(['arn:aws:rds:us-east-1:123456789012:db:users-1']);
  });

  it('keeps replication groups with a node in the AZ id given, by their tags', async () => {
    const pool = await resolver.resolve(
      'cache',
      target({
        resourceType: 'aws:elasticache:replicationgroup',
        resourceTags: { AzImpairmentPower: 'ElasticacheImpact' },
        parameters: { availabilityZoneIdentifier: 'use1-az2' },
      }),
    );
    expect(pool.eligible).toHaveLength(2);
    mocks.elasticache.on(ListTagsForResourceCommand).resolves({ TagList: [{ Key: 'AzImpairmentPower', Value: 'no' }] });
    const untagged = await resolver.resolve(
      'cache',
      target({
        resourceType: 'aws:elasticache:replicationgroup',
        resourceTags: { AzImpairmentPower: 'ElasticacheImpact' },
        parameters: { availabilityZoneIdentifier: 'use1-az2' },
      }),
    );
    expect(untagged.eligible).toEqual([]);
    expect(untagged.uncounted).toBeUndefined();
  });

  it('leaves an ElastiCache target without its required AZ uncounted, with the reason (no run-time error)', async () => {
    const pool = await resolver.resolve('cache', target({ resourceType: 'aws:elasticache:replicationgroup' }));
    expect(pool.uncounted).toMatch(/availabilityZoneIdentifier is required/);
    expect(mocks.elasticache.calls()).toHaveLength(0);
  });

  it('keeps subnets by AZ id through the EC2 filter availability-zone-id', async () => {
    await resolver.resolve(
      'net',
      target({ resourceType: 'aws:ec2:subnet', parameters: { availabilityZoneIdentifier: 'use1-az1' } }),
    );
    expect(mocks.ec2.commandCalls(DescribeSubnetsCommand)[0]?.args[0].input.Filters).toEqual([
      { Name: 'availability-zone-id', Values: ['use1-az1'] },
    ]);
  });
});

describe('the other Describe-read types apply filters to their Describe output', () => {
  it('EC2 spot instances: only spot lifecycle instances', async () => {
    mocks.ec2.on(DescribeInstancesCommand).resolves({
      Reservations: [
        {
          OwnerId: '1',
          Instances: [{ InstanceId: 'i-spot', InstanceLifecycle: 'spot' }, { InstanceId: 'i-od' }],
        },
      ],
    });
    const pool = await resolver.resolve('s', target({ resourceType: 'aws:ec2:spot-instance' }));
    expect(pool.eligible).toEqual(['arn:aws:ec2:us-east-1:1:instance/i-spot']);
  });

  it('transit gateways and VPC endpoints: by filter path', async () => {
    mocks.ec2.on(DescribeTransitGatewaysCommand).resolves({
      TransitGateways: [
        { TransitGatewayArn: 'arn:tgw-1', State: 'available' },
        { TransitGatewayArn: 'arn:tgw-2', State: 'deleted' },
      ],
    });
    mocks.ec2.on(DescribeVpcEndpointsCommand).resolves({
      VpcEndpoints: [
        { VpcEndpointId: 'vpce-1', VpcEndpointType: 'Interface' },
        { VpcEndpointId: 'vpce-2', VpcEndpointType: 'Gateway' },
      ],
    });
    const tgw = await resolver.resolve(
      't',
      target({ resourceType: 'aws:ec2:transit-gateway', filters: [{ path: 'State', values: ['available'] }] }),
    );
    const vpce = await resolver.resolve(
      'e',
      target({ resourceType: 'aws:ec2:vpc-endpoint', filters: [{ path: 'VpcEndpointType', values: ['Interface'] }] }),
    );
    expect([tgw.eligible, vpce.eligible]).toEqual([['arn:tgw-1'], ['vpce-1']]);
  });

  it('ECS clusters: active ones with the tags and filters', async () => {
    mocks.ecs.on(ListClustersCommand).resolves({ clusterArns: ['arn:c1', 'arn:c2', 'arn:c3'] });
    mocks.ecs.on(DescribeClustersCommand).resolves({
      clusters: [
        { clusterArn: 'arn:c1', status: 'ACTIVE', tags: [{ key: 'app', value: 'x' }], capacityProviders: ['FARGATE'] },
        { clusterArn: 'arn:c2', status: 'ACTIVE', tags: [{ key: 'app', value: 'y' }], capacityProviders: ['FARGATE'] },
        {
          clusterArn: 'arn:c3',
          status: 'INACTIVE',
          tags: [{ key: 'app', value: 'x' }],
          capacityProviders: ['FARGATE'],
        },
      ],
    });
    const pool = await resolver.resolve(
      'c',
      target({
        resourceType: 'aws:ecs:cluster',
        resourceTags: { app: 'x' },
        filters: [{ path: 'CapacityProviders', values: ['FARGATE'] }],
      }),
    );
    expect(pool.eligible).toEqual(['arn:c1']);
  });

  it('DynamoDB global tables: tagged tables that have replicas and match the filters', async () => {
    mocks.tagging.on(GetResourcesCommand).resolves({
      ResourceTagMappingList: [
        { ResourceARN: 'arn:aws:dynamodb:us-east-1:1:table/orders' },
        { ResourceARN: 'arn:aws:dynamodb:us-east-1:1:table/local-only' },
      ],
    });
    mocks.dynamodb.on(DescribeTableCommand, { TableName: 'orders' }).resolves({
      Table: {
        TableArn: 'arn:aws:dynamodb:us-east-1:1:table/orders',
        TableStatus: 'ACTIVE',
        Replicas: [{ RegionName: 'eu-west-1' }],
      },
    });
    mocks.dynamodb.on(DescribeTableCommand, { TableName: 'local-only' }).resolves({
      Table: { TableArn: 'arn:aws:dynamodb:us-east-1:1:table/local-only', TableStatus: 'ACTIVE' },
    });
    const pool = await resolver.resolve(
      'g',
      target({
        resourceType: 'aws:dynamodb:global-table',
        resourceTags: { app: 'orders' },
        filters: [{ path: 'TableStatus', values: ['ACTIVE'] }],
      }),
    );
    expect(pool.eligible).toEqual(['arn:aws:dynamodb:us-east-1:1:table/orders']);
    expect(mocks.tagging.commandCalls(GetResourcesCommand)[0]?.args[0].input.ResourceTypeFilters).toEqual([
      'dynamodb:table',
    ]);
  });
});

describe('pools AWS APIs cannot count are uncounted, with the reason, and read nothing', () => {
  it.each([
    [
      'an EKS pod (chosen by label inside the cluster)',
      target({
        resourceType: 'aws:eks:pod',
        parameters: { clusterIdentifier: 'c', namespace: 'n', selectorType: 'labelSelector', selectorValue: 'a=b' },
      }),
      /Kubernetes API/,
    ],
    [
      'an IAM role chosen by tags',
      target({ resourceType: 'aws:iam:role', resourceTags: { a: 'b' } }),
      /resourceArns only/,
    ],
    [
      'an Auto Scaling group with filters (read through the Tagging API)',
      target({
        resourceType: 'aws:ec2:autoscaling-group',
        resourceTags: { a: 'b' },
        filters: [{ path: 'AvailabilityZones', values: ['us-east-1a'] }],
      }),
      /filters cannot be applied/,
    ],
    [
      'a type no pool read knows',
      target({ resourceType: 'aws:example:thing', resourceTags: { a: 'b' } }),
      /no pool read/,
    ],
  ])('%s', async (_, t, reason) => {
    const pool = await resolver.resolve('x', t);
    expect(pool.uncounted).toMatch(reason);
    expect(pool.eligible).toEqual([]);
    for (const m of Object.values(mocks)) expect(m.calls()).toHaveLength(0);
  });

  it('counts every other type in the table when selected by ARNs', () => {
    for (const [type, read] of Object.entries(POOL_READS)) {
      const reason = uncountedReason({ resourceType: type, resourceArns: ['arn:x'] });
      if (read.via === 'none') expect(reason, type).toBeDefined();
      else expect(reason, type).toBeUndefined();
    }
  });
});

describe('POOL_READS and the FIS resource-type table', () => {
  it('has a pool read for every FIS resource type and no other, uncountable exactly where the table says so', () => {
    expect(Object.keys(POOL_READS).sort()).toEqual(Object.keys(FIS_RESOURCE_TYPES).sort());
    for (const [type, spec] of Object.entries(FIS_RESOURCE_TYPES)) {
      expect(POOL_READS[type]?.via === 'none', type).toBe(!spec.poolCountable);
    }
  });

  it('applies every target parameter FIS documents for a countable type', () => {
    for (const [type, spec] of Object.entries(FIS_RESOURCE_TYPES)) {
      if (!spec.poolCountable) continue;
      expect(POOL_READS[type]?.parameters, type).toEqual(expect.arrayContaining(Object.keys(spec.parameters)));
    }
  });
});
