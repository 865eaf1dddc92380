// The AZ Availability: Power Interruption scenario (test/fixtures/fis-scenarios) and an account for it to hit, as
// aws-sdk-client-mock doubles of each resource's own API: used by the pool-read tests and the workflow test.
import { readFileSync } from 'node:fs';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  DescribeAvailabilityZonesCommand,
  DescribeInstancesCommand,
  DescribeSubnetsCommand,
  DescribeVolumesCommand,
  EC2Client,
} from '@aws-sdk/client-ec2';
import { ECSClient } from '@aws-sdk/client-ecs';
import {
  DescribeReplicationGroupsCommand,
  ElastiCacheClient,
  ListTagsForResourceCommand,
} from '@aws-sdk/client-elasticache';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { DescribeDBClustersCommand, DescribeDBInstancesCommand, RDSClient } from '@aws-sdk/client-rds';
import { GetResourcesCommand, ResourceGroupsTaggingAPIClient } from '@aws-sdk/client-resource-groups-tagging-api';
import { type AwsClientStub, mockClient } from 'aws-sdk-client-mock';
import { beforeEach } from 'vitest';
import { AwsTargetPools } from '../../functions/aws/targets.js';

export const AZ_POWER_TEMPLATE = JSON.parse(
  readFileSync(new URL('../fixtures/fis-scenarios/az-power-interruption.json', import.meta.url), 'utf8'),
);

export interface AccountMocks {
  ec2: AwsClientStub<EC2Client>;
  tagging: AwsClientStub<ResourceGroupsTaggingAPIClient>;
  rds: AwsClientStub<RDSClient>;
  elasticache: AwsClientStub<ElastiCacheClient>;
}

/**
 * The account below behind AwsTargetPools, as the ResolveTargets function wires it: its clients' doubles are reset
 * and given the account before each test of the file.
 */
export function useMockedAccount() {
  const region = 'us-east-1';
  const clients = {
    ec2: new EC2Client({ region }),
    ecs: new ECSClient({ region }),
    lambda: new LambdaClient({ region }),
    tagging: new ResourceGroupsTaggingAPIClient({ region }),
    dynamodb: new DynamoDBClient({ region }),
    rds: new RDSClient({ region }),
    elasticache: new ElastiCacheClient({ region }),
  };
  const mocks = {
    ec2: mockClient(clients.ec2),
    ecs: mockClient(clients.ecs),
    tagging: mockClient(clients.tagging),
    dynamodb: mockClient(clients.dynamodb),
    rds: mockClient(clients.rds),
    elasticache: mockClient(clients.elasticache),
  };
  beforeEach(() => {
    for (const m of Object.values(mocks)) m.reset();
    mockAccount(mocks);
  });
  return { pools: new AwsTargetPools(clients), mocks };
}

/** The account the tests describe: us-east-1a (use1-az1) and us-east-1b (use1-az2). */
export function mockAccount(m: AccountMocks): void {
  m.ec2.on(DescribeAvailabilityZonesCommand).callsFake((input) => ({
    AvailabilityZones: [
      { ZoneName: 'us-east-1a', ZoneId: 'use1-az1' },
      { ZoneName: 'us-east-1b', ZoneId: 'use1-az2' },
    ].filter((z) => input.Filters?.[0]?.Values?.includes(z.ZoneId)),
  }));
  const tag = (value: string) => [{ Key: 'AzImpairmentPower', Value: value }];
  m.ec2.on(DescribeVolumesCommand).resolves({
    Volumes: [
      // The EC2 filter availability-zone has already kept us-east-1a: the double returns what EC2 would.
      {
        VolumeId: 'vol-keep',
        AvailabilityZone: 'us-east-1a',
        Tags: tag('ApiPauseVolume'),
        Attachments: [{ DeleteOnTermination: false }],
      },
      {
        VolumeId: 'vol-root',
        AvailabilityZone: 'us-east-1a',
        Tags: tag('ApiPauseVolume'),
        Attachments: [{ DeleteOnTermination: true }],
      },
    ],
  });
  m.ec2.on(DescribeInstancesCommand).callsFake((input) => {
    const wanted = input.Filters?.find((f: { Name: string }) => f.Name === 'tag:AzImpairmentPower')?.Values?.[0];
    const instance = (id: string, az: string, state: string, value: string) => ({
      InstanceId: id,
      State: { Name: state },
      Placement: { AvailabilityZone: az },
      Tags: tag(value),
    });
    const all = [
      instance('i-a1', 'us-east-1a', 'running', 'StopInstances'),
      instance('i-a2', 'us-east-1a', 'running', 'StopInstances'),
      instance('i-b1', 'us-east-1b', 'running', 'StopInstances'),
      instance('i-stopped', 'us-east-1a', 'stopped', 'StopInstances'),
      instance('i-asg1', 'us-east-1a', 'running', 'IceAsg'),
    ];
    return { Reservations: [{ OwnerId: '123456789012', Instances: all.filter((i) => i.Tags[0]?.Value === wanted) }] };
  });
  m.ec2.on(DescribeSubnetsCommand).resolves({
    Subnets: [
      {
        SubnetId: 'subnet-a',
        SubnetArn: 'arn:aws:ec2:us-east-1:123456789012:subnet/subnet-a',
        AvailabilityZone: 'us-east-1a',
        Tags: tag('DisruptSubnet'),
      },
      {
        SubnetId: 'subnet-b',
        SubnetArn: 'arn:aws:ec2:us-east-1:123456789012:subnet/subnet-b',
        AvailabilityZone: 'us-east-1b',
        Tags: tag('DisruptSubnet'),
      },
    ],
  });
  m.tagging.on(GetResourcesCommand).resolves({
    ResourceTagMappingList: [
      { ResourceARN: 'arn:aws:autoscaling:us-east-1:123456789012:autoScalingGroup:1:autoScalingGroupName/web' },
    ],
  });
  m.rds.on(DescribeDBClustersCommand).resolves({
    DBClusters: [
      {
        DBClusterArn: 'arn:aws:rds:us-east-1:123456789012:cluster:orders',
        TagList: tag('DisruptRds'),
        DBClusterMembers: [
          { DBInstanceIdentifier: 'orders-1', IsClusterWriter: true },
          { DBInstanceIdentifier: 'orders-2', IsClusterWriter: false },
        ],
      },
      {
        DBClusterArn: 'arn:aws:rds:us-east-1:123456789012:cluster:users',
        TagList: tag('DisruptRds'),
        DBClusterMembers: [{ DBInstanceIdentifier: 'users-1', IsClusterWriter: true }],
      },
    ],
  });
  m.rds.on(DescribeDBInstancesCommand).resolves({
    DBInstances: [
      {
        DBInstanceIdentifier: 'orders-1',
        DBInstanceArn: 'arn:aws:rds:us-east-1:123456789012:db:orders-1',
        AvailabilityZone: 'us-east-1a',
      },
      {
        DBInstanceIdentifier: 'users-1',
        DBInstanceArn: 'arn:aws:rds:us-east-1:123456789012:db:users-1',
        AvailabilityZone: 'us-east-1b',
      },
    ],
  });
  m.elasticache.on(DescribeReplicationGroupsCommand).resolves({
    ReplicationGroups: [
      {
        ARN: 'arn:aws:elasticache:us-east-1:123456789012:replicationgroup:sessions',
        NodeGroups: [
          {
            NodeGroupMembers: [
              { PreferredAvailabilityZone: 'us-east-1a' },
              { PreferredAvailabilityZone: 'us-east-1b' },
            ],
          },
        ],
      },
      {
        ARN: 'arn:aws:elasticache:us-east-1:123456789012:replicationgroup:cache-b',
        NodeGroups: [{ NodeGroupMembers: [{ PreferredAvailabilityZone: 'us-east-1b' }] }],
      },
    ],
  });
  m.elasticache.on(ListTagsForResourceCommand).resolves({ TagList: tag('ElasticacheImpact') });
}
