// Every starter, edited as a user would (placeholders replaced), resolves its target pools through the real
// blast-radius readers (functions/aws/targets*.ts) against one fake account, and passes its own blast-radius
// guardrail. The fakes apply the EC2 server-side filters and the tagging API's tag filters as AWS does, and the
// account holds decoys (other zones, other tags, stopped instances, root volumes) each target must leave out.
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  DescribeAvailabilityZonesCommand,
  DescribeInstancesCommand,
  DescribeSubnetsCommand,
  DescribeVolumesCommand,
  EC2Client,
  type Filter,
} from '@aws-sdk/client-ec2';
import { DescribeTasksCommand, ECSClient, ListTasksCommand } from '@aws-sdk/client-ecs';
import {
  DescribeReplicationGroupsCommand,
  ElastiCacheClient,
  ListTagsForResourceCommand,
} from '@aws-sdk/client-elasticache';
import { GetFunctionCommand, LambdaClient, ListFunctionsCommand } from '@aws-sdk/client-lambda';
import { DescribeDBClustersCommand, DescribeDBInstancesCommand, RDSClient } from '@aws-sdk/client-rds';
import { GetResourcesCommand, ResourceGroupsTaggingAPIClient } from '@aws-sdk/client-resource-groups-tagging-api';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeAll, describe, expect, it } from 'vitest';
import { STARTERS_DIR } from '../../../cli/commands/new.js';
import { parseExperimentText } from '../../../core/experiment/validate.js';
import { blastRadiusCheck } from '../../../core/guardrails/blast-radius.js';
import { poolsByType } from '../../../core/targets/pools.js';
import { AwsTargetPools } from '../../../functions/aws/targets.js';

const region = 'eu-central-1';
const account = '123456789012';
type Tags = Readonly<Record<string, string | undefined>>;
const tags = (record: Tags) =>
  Object.entries(record).flatMap(([Key, Value]) => (Value === undefined ? [] : [{ Key, Value }]));

/** The edits a user makes: zone, Region, and a name for everything else (`REPLACE-ME-app` → `shop-app`). */
function edit(text: string, zone = 'eu-central-1a'): string {
  return text
    .replaceAll('REPLACE-ME-az', zone)
    .replaceAll('REPLACE-ME-region', region)
    .replace(/REPLACE-ME-([a-z0-9][a-z0-9-]*)/g, 'shop-$1');
}
/** Where the starter accepts a zone ID as well as a name, the test edits it with the ID of the same zone. */
const ZONE: Record<string, string> = { 'elasticache-az-power': 'euc1-az2' };
const zones = [
  { ZoneName: 'eu-central-1a', ZoneId: 'euc1-az2' },
  { ZoneName: 'eu-central-1b', ZoneId: 'euc1-az3' },
  { ZoneName: 'eu-central-1c', ZoneId: 'euc1-az1' },
];

// ---- the account -------------------------------------------------------------------------------------------

const instances = [
  {
    id: 'i-web-a',
    state: 'running',
    az: 'eu-central-1a',
    tags: { app: 'shop-app', AzImpairmentPower: 'StopInstances' },
  },
  {
    id: 'i-web-b',
    state: 'running',
    az: 'eu-central-1b',
    tags: { app: 'shop-app', AzImpairmentPower: 'StopInstances' },
  },
  { id: 'i-web-c', state: 'running', az: 'eu-central-1c', tags: { app: 'shop-app' } },
  {
    id: 'i-web-old',
    state: 'stopped',
    az: 'eu-central-1a',
    tags: { app: 'shop-app', AzImpairmentPower: 'StopInstances' },
  },
  { id: 'i-asg-a', state: 'running', az: 'eu-central-1a', tags: { AzImpairmentPower: 'IceAsg' } },
  { id: 'i-asg-b', state: 'running', az: 'eu-central-1b', tags: { AzImpairmentPower: 'IceAsg' } },
  { id: 'i-batch', state: 'running', az: 'eu-central-1a', tags: { app: 'batch' } },
].map((i) => ({
  InstanceId: i.id,
  State: { Name: i.state },
  Placement: { AvailabilityZone: i.az },
  Tags: tags(i.tags),
}));

const subnets = [
  {
    id: 'subnet-app-a',
    az: 'eu-central-1a',
    azId: 'euc1-az2',
    tags: { app: 'shop-app', AzImpairmentPower: 'DisruptSubnet' },
  },
  {
    id: 'subnet-app-b',
    az: 'eu-central-1b',
    azId: 'euc1-az3',
    tags: { app: 'shop-app', AzImpairmentPower: 'DisruptSubnet' },
  },
  { id: 'subnet-batch-a', az: 'eu-central-1a', azId: 'euc1-az2', tags: { app: 'batch' } },
].map((s) => ({
  SubnetId: s.id,
  SubnetArn: `arn:aws:ec2:${region}:${account}:subnet/${s.id}`,
  AvailabilityZone: s.az,
  AvailabilityZoneId: s.azId,
  VpcId: 'vpc-shop',
  Tags: tags(s.tags),
}));

const volumes = [
  { id: 'vol-data-a', az: 'eu-central-1a', deleteOnTermination: false },
  { id: 'vol-root-a', az: 'eu-central-1a', deleteOnTermination: true },
  { id: 'vol-data-b', az: 'eu-central-1b', deleteOnTermination: false },
].map((v) => ({
  VolumeId: v.id,
  AvailabilityZone: v.az,
  Attachments: [{ InstanceId: 'i-web-a', DeleteOnTermination: v.deleteOnTermination }],
  Tags: tags({ AzImpairmentPower: 'ApiPauseVolume' }),
}));

/** What the Resource Groups Tagging API knows: type filter `service:type`, tags. */
const tagged = [
  {
    arn: `arn:aws:autoscaling:${region}:${account}:autoScalingGroup:uuid-1:autoScalingGroupName/shop-asg`,
    type: 'autoscaling:autoScalingGroup',
    tags: { AzImpairmentPower: 'IceAsg' },
  },
  {
    arn: `arn:aws:autoscaling:${region}:${account}:autoScalingGroup:uuid-2:autoScalingGroupName/batch-asg`,
    type: 'autoscaling:autoScalingGroup',
    tags: { app: 'batch' },
  },
];

const dbInstances = [
  { id: 'shop-db-1', az: 'eu-central-1a' },
  { id: 'shop-db-2', az: 'eu-central-1b' },
  { id: 'reports-db-1', az: 'eu-central-1b' },
].map((d) => ({
  DBInstanceIdentifier: d.id,
  DBInstanceArn: `arn:aws:rds:${region}:${account}:db:${d.id}`,
  AvailabilityZone: d.az,
}));
const dbClusters = [
  {
    id: 'shop-db',
    writer: 'shop-db-1',
    reader: 'shop-db-2',
    tags: { app: 'shop-app', AzImpairmentPower: 'DisruptRds' },
  },
  { id: 'reports-db', writer: 'reports-db-1', reader: undefined, tags: { AzImpairmentPower: 'DisruptRds' } },
].map((c) => ({
  DBClusterIdentifier: c.id,
  DBClusterArn: `arn:aws:rds:${region}:${account}:cluster:${c.id}`,
  DBClusterMembers: [
    { DBInstanceIdentifier: c.writer, IsClusterWriter: true },
    ...(c.reader ? [{ DBInstanceIdentifier: c.reader, IsClusterWriter: false }] : []),
  ],
  TagList: tags(c.tags),
}));

const cacheGroups = [
  {
    id: 'shop-cache',
    zones: ['eu-central-1a', 'eu-central-1b'],
    tags: { app: 'shop-app', AzImpairmentPower: 'ElasticacheImpact' },
  },
  {
    id: 'sessions',
    zones: ['eu-central-1b', 'eu-central-1c'],
    tags: { app: 'shop-app', AzImpairmentPower: 'ElasticacheImpact' },
  },
].map((g) => ({
  group: {
    ReplicationGroupId: g.id,
    ARN: `arn:aws:elasticache:${region}:${account}:replicationgroup:${g.id}`,
    NodeGroups: [{ NodeGroupMembers: g.zones.map((z) => ({ PreferredAvailabilityZone: z })) }],
  },
  tags: g.tags,
}));

const ecsTasks = ['t1', 't2', 't3', 't4'].map((id) => `arn:aws:ecs:${region}:${account}:task/shop-cluster/${id}`);
const functions = [
  { name: 'shop-fn', tags: { app: 'shop-app' } },
  { name: 'batch-fn', tags: { app: 'batch' } },
].map((f) => ({ arn: `arn:aws:lambda:${region}:${account}:function:${f.name}`, tags: f.tags }));

/** EC2's server-side Filters, as DescribeInstances/Subnets/Volumes apply them. */
function ec2Filtered<T extends { Tags?: Array<{ Key: string; Value: string }> }>(
  items: T[],
  filters: Filter[] | undefined,
  fields: Record<string, (item: T) => string | undefined>,
): T[] {
  return items.filter((item) =>
    (filters ?? []).every((f) => {
      const value = f.Name?.startsWith('tag:')
        ? item.Tags?.find((t) => t.Key === f.Name?.slice(4))?.Value
        : fields[f.Name as string]?.(item);
      if (!f.Name?.startsWith('tag:') && !fields[f.Name as string]) throw new Error(`fake EC2: filter ${f.Name}`);
      return value !== undefined && (f.Values ?? []).includes(value);
    }),
  );
}

const ec2Client = new EC2Client({ region });
const rdsClient = new RDSClient({ region });
const clients = {
  ec2: ec2Client,
  ecs: new ECSClient({ region }),
  lambda: new LambdaClient({ region }),
  tagging: new ResourceGroupsTaggingAPIClient({ region }),
  dynamodb: new DynamoDBClient({ region }),
};
const elasticacheClient = new ElastiCacheClient({ region });
const resolver = new AwsTargetPools({ ...clients, rds: rdsClient, elasticache: elasticacheClient });

beforeAll(() => {
  mockClient(ec2Client)
    .on(DescribeAvailabilityZonesCommand)
    .callsFake((input) => ({
      AvailabilityZones: zones.filter((z) =>
        (input.Filters ?? []).every((f: Filter) => f.Name === 'zone-id' && (f.Values ?? []).includes(z.ZoneId)),
      ),
    }))
    .on(DescribeInstancesCommand)
    .callsFake((input) => ({
      Reservations: [
        {
          OwnerId: account,
          Instances: ec2Filtered(instances, input.Filters, {
            'instance-state-name': (i) => i.State.Name,
            'availability-zone': (i) => i.Placement.AvailabilityZone,
            'instance-lifecycle': () => undefined,
          }),
        },
      ],
    }))
    .on(DescribeSubnetsCommand)
    .callsFake((input) => ({
      Subnets: ec2Filtered(subnets, input.Filters, {
        'availability-zone': (s) => s.AvailabilityZone,
        'availability-zone-id': (s) => s.AvailabilityZoneId,
        'vpc-id': (s) => s.VpcId,
      }),
    }))
    .on(DescribeVolumesCommand)
    .callsFake((input) => ({
      Volumes: ec2Filtered(volumes, input.Filters, { 'availability-zone': (v) => v.AvailabilityZone }),
    }));
  mockClient(clients.tagging)
    .on(GetResourcesCommand)
    .callsFake((input) => ({
      ResourceTagMappingList: tagged
        .filter((r) => (input.ResourceTypeFilters ?? []).includes(r.type))
        .filter((r) =>
          (input.TagFilters ?? []).every((f: { Key?: string; Values?: string[] }) =>
            (f.Values ?? []).includes((r.tags as Tags)[f.Key ?? ''] ?? ''),
          ),
        )
        .map((r) => ({ ResourceARN: r.arn, Tags: tags(r.tags) })),
    }));
  mockClient(rdsClient)
    .on(DescribeDBClustersCommand)
    .resolves({ DBClusters: dbClusters })
    .on(DescribeDBInstancesCommand)
    .callsFake((input) => {
      const ids = input.Filters?.find((f: { Name?: string }) => f.Name === 'db-instance-id')?.Values;
      return { DBInstances: dbInstances.filter((d) => !ids || ids.includes(d.DBInstanceIdentifier)) };
    });
  mockClient(elasticacheClient)
    .on(DescribeReplicationGroupsCommand)
    .callsFake((input) => ({
      ReplicationGroups: cacheGroups
        .map((g) => g.group)
        .filter((g) => !input.ReplicationGroupId || g.ReplicationGroupId === input.ReplicationGroupId),
    }))
    .on(ListTagsForResourceCommand)
    .callsFake((input) => ({ TagList: tags(cacheGroups.find((g) => g.group.ARN === input.ResourceName)!.tags) }));
  mockClient(clients.dynamodb)
    .on(DescribeTableCommand)
    .callsFake((input) => ({
      Table: {
        TableName: input.TableName,
        TableArn: `arn:aws:dynamodb:${region}:${account}:table/${input.TableName}`,
        Replicas: [{ RegionName: 'eu-west-1' }],
      },
    }));
  mockClient(clients.ecs)
    .on(ListTasksCommand, { cluster: 'shop-cluster', serviceName: 'shop-service' })
    .resolves({ taskArns: ecsTasks })
    .on(DescribeTasksCommand)
    .callsFake((input) => ({
      tasks: (input.tasks ?? []).map((taskArn: string) => ({ taskArn, lastStatus: 'RUNNING' })),
    }));
  mockClient(clients.lambda)
    .on(ListFunctionsCommand)
    .resolves({ Functions: functions.map((f) => ({ FunctionArn: f.arn })) })
    .on(GetFunctionCommand)
    .callsFake((input) => {
      const fn = functions.find((f) => f.arn === input.FunctionName)!;
      return { Configuration: { FunctionArn: fn.arn }, Tags: fn.tags };
    });
});

// ---- what each starter must hit ----------------------------------------------------------------------------

const instanceArn = (id: string) => `arn:aws:ec2:${region}:${account}:instance/${id}`;
const ONE_WEB_INSTANCE = { instances: [instanceArn('i-web-a'), instanceArn('i-web-b'), instanceArn('i-web-c')] };

/** Per starter with targets: each target's eligible pool (`uncounted` where AWS APIs cannot count it). */
const EXPECTED: Record<string, Record<string, string[] | 'uncounted'>> = {
  'ec2-instance-loss': ONE_WEB_INSTANCE,
  'ec2-instance-ramp': ONE_WEB_INSTANCE,
  'cpu-stress': ONE_WEB_INSTANCE,
  'memory-stress': ONE_WEB_INSTANCE,
  'disk-fill': ONE_WEB_INSTANCE,
  'network-latency': ONE_WEB_INSTANCE,
  'ecs-task-loss': { tasks: ecsTasks },
  'rds-failover': { cluster: [`arn:aws:rds:${region}:${account}:cluster:shop-db`] },
  'az-network-disrupt': { subnets: [`arn:aws:ec2:${region}:${account}:subnet/subnet-app-a`] },
  'lambda-errors': { function: [`arn:aws:lambda:${region}:${account}:function:shop-fn`] },
  'az-power-interruption': {
    'launch-roles': [`arn:aws:iam::${account}:role/shop-launch-role`],
    asgs: [tagged[0]!.arn],
    subnets: [`arn:aws:ec2:${region}:${account}:subnet/subnet-app-a`],
    instances: [instanceArn('i-web-a')],
    'asg-instances': [instanceArn('i-asg-a')],
    'aurora-clusters': [`arn:aws:rds:${region}:${account}:cluster:shop-db`],
    'cache-groups': [`arn:aws:elasticache:${region}:${account}:replicationgroup:shop-cache`],
    volumes: ['vol-data-a'],
  },
  'eks-pod-delete': { pods: 'uncounted' },
  'dynamodb-replication-pause': { tables: [`arn:aws:dynamodb:${region}:${account}:table/shop-table`] },
  'elasticache-az-power': { cache: [`arn:aws:elasticache:${region}:${account}:replicationgroup:shop-cache`] },
  'ec2-api-throttle': { caller: [`arn:aws:iam::${account}:role/shop-role`] },
};

describe('the starters against one account', () => {
  it('lists every starter with targets', async () => {
    const files = (await readdir(STARTERS_DIR)).filter((f) => f.endsWith('.yaml')).map((f) => f.replace('.yaml', ''));
    // ssm-automation has no targets: its runbook's parameters say what it touches.
    expect(Object.keys(EXPECTED).sort()).toEqual(files.filter((f) => f !== 'ssm-automation').sort());
  });

  it.each(Object.keys(EXPECTED))(
    '%s, edited, resolves each target to the resources it means and passes its blast radius',
    async (starter) => {
      const text = edit(await readFile(join(STARTERS_DIR, `${starter}.yaml`), 'utf8'), ZONE[starter]);
      const report = parseExperimentText(text, `${starter}.yaml`);
      expect(report.issues).toEqual([]);
      const experiment = report.experiment!;
      const template = experiment.fault.template!;
      const pools = await Promise.all(
        Object.entries(template.targets).map(([name, target]) => resolver.resolve(name, target)),
      );
      const resolved = Object.fromEntries(
        pools.map((p) => [p.target, p.uncounted !== undefined ? 'uncounted' : [...p.eligible].sort()]),
      );
      const expected = Object.fromEntries(
        Object.entries(EXPECTED[starter]!).map(([t, v]) => [t, v === 'uncounted' ? v : [...v].sort()]),
      );
      expect(resolved).toEqual(expected);
      const check = blastRadiusCheck(poolsByType(pools), experiment.guardrails?.blastRadius, {
        emptyTargetResolutionMode: template.experimentOptions?.emptyTargetResolutionMode,
      });
      expect(check.ok, check.message).toBe(true);
    },
  );

  it('checks every step of the ramp starter: on three instances PERCENT(50) rounds up to 2 (66.7 %) and is refused', async () => {
    const text = edit(await readFile(join(STARTERS_DIR, 'ec2-instance-ramp.yaml'), 'utf8'));
    const experiment = parseExperimentText(text, 'ec2-instance-ramp.yaml').experiment!;
    const { target, steps } = experiment.fault.ramp!;
    const pool = await resolver.resolve(target, experiment.fault.template!.targets[target]!);
    const verdicts = steps.map((selectionMode) => {
      const check = blastRadiusCheck(poolsByType([{ ...pool, selectionMode }]), experiment.guardrails?.blastRadius);
      return [selectionMode, check.ok, check.message];
    });
    expect(verdicts).toEqual([
      ['COUNT(1)', true, expect.stringContaining('would hit 1 of 3 aws:ec2:instance (33.3%)')],
      ['PERCENT(25)', true, expect.stringContaining('would hit 1 of 3 aws:ec2:instance (33.3%)')],
      [
        'PERCENT(50)',
        false,
        expect.stringContaining('would hit 2 of 3 aws:ec2:instance (66.7%), above maxPercent 50%'),
      ],
    ]);
  });
});
