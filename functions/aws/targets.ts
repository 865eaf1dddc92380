// Target pools for the blast-radius guardrail: every resource an FIS target definition could hit, read from the
// resource's own API (EC2, ECS, Lambda, DynamoDB, RDS, ElastiCache) or, for other types, the Resource Groups Tagging
// API.
// FIS filters are paths into the resource's describe output (`State.Name`, `Placement.AvailabilityZone`), so they
// are applied here to the same objects; a few are also sent to EC2 as server-side filters to keep pages small.
import { DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  DescribeAvailabilityZonesCommand,
  DescribeInstancesCommand,
  DescribeSubnetsCommand,
  DescribeTransitGatewaysCommand,
  DescribeVolumesCommand,
  DescribeVpcEndpointsCommand,
  type EC2Client,
  type Filter,
} from '@aws-sdk/client-ec2';
import {
  DescribeClustersCommand,
  DescribeTasksCommand,
  type ECSClient,
  ListClustersCommand,
  ListTasksCommand,
  type Task,
} from '@aws-sdk/client-ecs';
import {
  DescribeReplicationGroupsCommand,
  ElastiCacheClient,
  ListTagsForResourceCommand,
  type ReplicationGroup,
} from '@aws-sdk/client-elasticache';
import { GetFunctionCommand, type LambdaClient, ListFunctionsCommand } from '@aws-sdk/client-lambda';
import {
  type DBCluster,
  DescribeDBClustersCommand,
  DescribeDBInstancesCommand,
  RDSClient,
  type Tag,
} from '@aws-sdk/client-rds';
import { GetResourcesCommand, type ResourceGroupsTaggingAPIClient } from '@aws-sdk/client-resource-groups-tagging-api';
import type { Target } from '../../core/experiment/schema.js';
import type { TargetPool, TargetPools } from '../../core/ports.js';
import { POOL_READS, uncountedReason } from '../../core/targets/pools.js';

/** The target cannot be resolved faithfully (a filter or parameter shaketable cannot evaluate for this type). */
export class TargetsUnresolvableError extends Error {
  override readonly name = 'Shaketable.TargetsUnresolvable';
  constructor(
    readonly target: string,
    readonly resourceType: string,
    detail: string,
  ) {
    super(`target "${target}" (${resourceType}): ${detail}`);
  }
}

// ---- FIS filters on describe output --------------------------------------------------------------------------

/** Values at a dotted path; arrays are walked through, and keys match exactly or, failing that, ignoring case. */
export function valuesAtPath(resource: unknown, path: string): string[] {
  let current: unknown[] = [resource];
  for (const segment of path.split('.')) {
    const next: unknown[] = [];
    for (const value of current.flatMap((v) => (Array.isArray(v) ? v : [v]))) {
      if (value === null || typeof value !== 'object') continue;
      const record = value as Record<string, unknown>;
      const key =
        segment in record ? segment : Object.keys(record).find((k) => k.toLowerCase() === segment.toLowerCase());
      if (key !== undefined && record[key] !== undefined) next.push(record[key]);
    }
    current = next;
  }
  return current
    .flatMap((v) => (Array.isArray(v) ? v : [v]))
    .map((v) => (v instanceof Date ? v.toISOString() : String(v)));
}

/** FIS semantics: every filter must match; within a filter, any value. */
export function matchesFilters(resource: unknown, filters: Target['filters']): boolean {
  return (filters ?? []).every((filter) => {
    const found = valuesAtPath(resource, filter.path);
    return filter.values.some((v) => found.includes(v));
  });
}

export function hasTags(actual: Record<string, string>, wanted: Target['resourceTags']): boolean {
  return Object.entries(wanted ?? {}).every(([k, v]) => actual[k] === v);
}

export function tagRecord(tags: Array<{ Key?: string; Value?: string; key?: string; value?: string }> | undefined) {
  const out: Record<string, string> = {};
  for (const t of tags ?? []) {
    const key = t.Key ?? t.key;
    if (key !== undefined) out[key] = t.Value ?? t.value ?? '';
  }
  return out;
}

/** A target's pool: its distinct eligible resources, sorted. */
export function targetPool(name: string, target: Target, eligible: string[]): TargetPool {
  return {
    target: name,
    resourceType: target.resourceType,
    eligible: [...new Set(eligible)].sort(),
    selectionMode: target.selectionMode,
  };
}

/** The last `/`-separated part of an ARN's resource (`…:instance/i-123` → `i-123`). */
function arnResourceId(arn: string): string {
  return arn.startsWith('arn:') ? (arn.split(':').slice(5).join(':').split('/').at(-1) as string) : arn;
}

function partitionOf(region: string): string {
  if (region.startsWith('cn-')) return 'aws-cn';
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  return 'aws';
}

/** An AZ id (`use1-az1`) rather than an AZ name (`us-east-1a`); FIS takes either in most AZ parameters. */
const AZ_ID = /^[a-z]{2,5}\d+-az\d+$/;

/** AZ names of AZ identifiers (names or ids), for describe outputs that carry names only. */
export type ZoneNames = (identifiers: readonly string[]) => Promise<Set<string>>;

/** ZoneNames through EC2 DescribeAvailabilityZones, called only when an identifier is an AZ id. */
export function ec2ZoneNames(ec2: EC2Client): ZoneNames {
  return async (identifiers) => {
    const names = new Set(identifiers.filter((z) => !AZ_ID.test(z)));
    const ids = identifiers.filter((z) => AZ_ID.test(z));
    if (ids.length) {
      const page = await ec2.send(
        new DescribeAvailabilityZonesCommand({
          Filters: [{ Name: 'zone-id', Values: ids }],
          AllAvailabilityZones: true,
        }),
      );
      for (const zone of page.AvailabilityZones ?? []) if (zone.ZoneName) names.add(zone.ZoneName);
    }
    return names;
  };
}

/** A comma-separated AZ list parameter (`writerAvailabilityZoneIdentifiers`); undefined for none or `all`. */
export function zoneList(value: string | undefined): string[] | undefined {
  const zones = (value ?? '')
    .split(',')
    .map((z) => z.trim())
    .filter(Boolean);
  return zones.length === 0 || zones.includes('all') ? undefined : zones;
}

// EC2 DescribeInstances server-side filters for the FIS paths that have one; the path is still checked client-side.
const EC2_INSTANCE_FILTERS: Record<string, string> = {
  'State.Name': 'instance-state-name',
  'Placement.AvailabilityZone': 'availability-zone',
  InstanceType: 'instance-type',
  VpcId: 'vpc-id',
  SubnetId: 'subnet-id',
  ImageId: 'image-id',
};

// Resource Groups Tagging API type filters (`service[:type]`) where they differ from the FIS type's last two parts.
const TAGGING_TYPES: Record<string, string> = {
  'aws:ec2:spot-instance': 'ec2:instance',
  'aws:ec2:ebs-volume': 'ec2:volume',
  'aws:ec2:autoscaling-group': 'autoscaling:autoScalingGroup',
  'aws:elasticache:redis-replicationgroup': 'elasticache:replicationgroup',
  'aws:elasticache:replicationgroup': 'elasticache:replicationgroup',
  'aws:dynamodb:global-table': 'dynamodb:table',
  'aws:s3:bucket': 's3',
  'aws:directconnect:virtual-interface': 'directconnect:dxvif',
};

export function taggingResourceType(fisType: string): string {
  const mapped = TAGGING_TYPES[fisType];
  if (mapped) return mapped;
  const [, service, type] = fisType.split(':');
  return `${service}:${type}`;
}

// Page sizes: DescribeTasks takes at most 100 tasks, GetResources at most 100 resources per page.
const ECS_DESCRIBE_LIMIT = 100;
const LAMBDA_TAG_CONCURRENCY = 5;

export interface TargetClients {
  ec2: EC2Client;
  ecs: ECSClient;
  lambda: LambdaClient;
  tagging: ResourceGroupsTaggingAPIClient;
  /** for aws:dynamodb:global-table pools; made in the EC2 client's Region when not given */
  dynamodb?: DynamoDBClient;
  /** for aws:rds:cluster and aws:rds:db pools; made in the EC2 client's Region when not given */
  rds?: RDSClient;
  /** for aws:elasticache:replicationgroup pools; made in the EC2 client's Region when not given */
  elasticache?: ElastiCacheClient;
}

// DescribeDBInstances takes at most 100 values per filter.
const RDS_FILTER_LIMIT = 100;

/**
 * The pool of one target, or an uncounted pool with the reason when AWS APIs cannot count it
 * (core/targets/pools.ts `uncountedReason`, or a definition the read cannot apply): never an error, so a run
 * refuses at preflight (SKIPPED) instead of ending in ERROR.
 */
export async function readPool(
  name: string,
  target: Target,
  read: (name: string, target: Target) => Promise<string[]>,
): Promise<TargetPool> {
  const reason = uncountedReason(target);
  if (reason !== undefined) return { ...targetPool(name, target, []), uncounted: reason };
  try {
    return targetPool(name, target, await read(name, target));
  } catch (error) {
    if (!(error instanceof TargetsUnresolvableError)) throw error;
    return { ...targetPool(name, target, []), uncounted: error.message };
  }
}

/** Server-side EC2 filters for a target's tags (`tag:<key>`), so pages carry only candidates. */
function tagFilters(target: Target): Filter[] {
  return Object.entries(target.resourceTags ?? {}).map(([k, v]) => ({ Name: `tag:${k}`, Values: [v] }));
}

/** Pools of every type in POOL_READS, each read through the resource's own API or the tagging API. */
export class AwsTargetPools implements TargetPools {
  readonly #zones: ZoneNames;
  #rds: Promise<RDSClient> | undefined;
  #elasticache: Promise<ElastiCacheClient> | undefined;

  constructor(private readonly clients: TargetClients) {
    this.#zones = ec2ZoneNames(clients.ec2);
  }

  async resolve(name: string, target: Target): Promise<TargetPool> {
    return readPool(name, target, (n, t) => this.#eligible(n, t));
  }

  /** The RDS client, made in the EC2 client's Region when not given. */
  get #rdsClient(): Promise<RDSClient> {
    this.#rds ??= this.clients.rds
      ? Promise.resolve(this.clients.rds)
      : this.clients.ec2.config.region().then((region) => new RDSClient({ region }));
    return this.#rds;
  }

  /** The ElastiCache client, made in the EC2 client's Region when not given. */
  get #elastiCacheClient(): Promise<ElastiCacheClient> {
    this.#elasticache ??= this.clients.elasticache
      ? Promise.resolve(this.clients.elasticache)
      : this.clients.ec2.config.region().then((region) => new ElastiCacheClient({ region }));
    return this.#elasticache;
  }

  async #eligible(name: string, target: Target): Promise<string[]> {
    switch (target.resourceType) {
      case 'aws:ec2:instance':
        return this.#ec2Instances(target, false);
      case 'aws:ec2:spot-instance':
        return this.#ec2Instances(target, true);
      case 'aws:ec2:subnet':
        return this.#subnets(target);
      case 'aws:ec2:ebs-volume':
        return this.#volumes(target);
      case 'aws:ec2:transit-gateway':
        return this.#transitGateways(target);
      case 'aws:ec2:vpc-endpoint':
        return this.#vpcEndpoints(target);
      case 'aws:ecs:task':
        return this.#ecsTasks(name, target);
      case 'aws:ecs:cluster':
        return this.#ecsClusters(target);
      case 'aws:lambda:function':
        return this.#lambdaFunctions(target);
      case 'aws:dynamodb:global-table':
        return this.#globalTables(name, target);
      case 'aws:rds:cluster':
        return this.#dbClusters(target);
      case 'aws:rds:db':
        return this.#dbInstances(target);
      case 'aws:elasticache:replicationgroup':
      case 'aws:elasticache:redis-replicationgroup':
        return this.#replicationGroups(name, target);
    }
    const via = POOL_READS[target.resourceType]?.via;
    if (via === 'resourceArns') return [...(target.resourceArns ?? [])];
    if (via === 'tag:GetResources') return this.#tagged(target);
    throw new TargetsUnresolvableError(name, target.resourceType, `no pool read for ${target.resourceType}`);
  }

  /** Every page of an EC2 Describe call, each item checked against the target's tags and filters. */
  async #ec2Pages<T extends { Tags?: Array<{ Key?: string; Value?: string }> }>(
    target: Target,
    page: (nextToken: string | undefined) => Promise<{ items: T[]; nextToken: string | undefined }>,
    id: (item: T) => string | undefined,
  ): Promise<string[]> {
    const out: string[] = [];
    let nextToken: string | undefined;
    do {
      const result = await page(nextToken);
      for (const item of result.items) {
        const itemId = id(item);
        if (itemId === undefined || !matchesFilters(item, target.filters)) continue;
        if (hasTags(tagRecord(item.Tags), target.resourceTags)) out.push(itemId);
      }
      nextToken = result.nextToken;
    } while (nextToken);
    return out;
  }

  async #ec2Instances(target: Target, spot: boolean): Promise<string[]> {
    const filters = tagFilters(target);
    for (const f of target.filters ?? []) {
      const server = EC2_INSTANCE_FILTERS[f.path];
      if (server) filters.push({ Name: server, Values: f.values });
    }
    if (spot) filters.push({ Name: 'instance-lifecycle', Values: ['spot'] });
    const instanceIds = target.resourceArns?.map(arnResourceId);
    const region = await this.clients.ec2.config.region();
    const out: string[] = [];
    let nextToken: string | undefined;
    do {
      const page = await this.clients.ec2.send(
        new DescribeInstancesCommand({
          ...(instanceIds ? { InstanceIds: instanceIds } : {}),
          ...(filters.length ? { Filters: filters } : {}),
          NextToken: nextToken,
        }),
      );
      for (const reservation of page.Reservations ?? []) {
        for (const instance of reservation.Instances ?? []) {
          if (!instance.InstanceId || !matchesFilters(instance, target.filters)) continue;
          if (spot && instance.InstanceLifecycle !== 'spot') continue;
          if (!hasTags(tagRecord(instance.Tags), target.resourceTags)) continue;
          out.push(`arn:${partitionOf(region)}:ec2:${region}:${reservation.OwnerId}:instance/${instance.InstanceId}`);
        }
      }
      nextToken = page.NextToken;
    } while (nextToken);
    return out;
  }

  async #subnets(target: Target): Promise<string[]> {
    const filters = tagFilters(target);
    const vpc = target.parameters?.vpc;
    if (vpc) filters.push({ Name: 'vpc-id', Values: [vpc] });
    const az = target.parameters?.availabilityZoneIdentifier;
    // FIS accepts an AZ name (us-east-1a) or an AZ id (use1-az1) here.
    if (az) filters.push({ Name: AZ_ID.test(az) ? 'availability-zone-id' : 'availability-zone', Values: [az] });
    const SubnetIds = target.resourceArns?.map(arnResourceId);
    return this.#ec2Pages(
      target,
      async (NextToken) => {
        const page = await this.clients.ec2.send(
          new DescribeSubnetsCommand({
            ...(SubnetIds ? { SubnetIds } : {}),
            ...(filters.length ? { Filters: filters } : {}),
            NextToken,
          }),
        );
        return { items: page.Subnets ?? [], nextToken: page.NextToken };
      },
      (subnet) => subnet.SubnetArn,
    );
  }

  /** EBS volumes: `availabilityZoneIdentifier` is the volumes' AZ (FIS documents a name; an AZ id is mapped). */
  async #volumes(target: Target): Promise<string[]> {
    const filters = tagFilters(target);
    const az = target.parameters?.availabilityZoneIdentifier;
    if (az) filters.push({ Name: 'availability-zone', Values: [...(await this.#zones([az]))] });
    const VolumeIds = target.resourceArns?.map(arnResourceId);
    return this.#ec2Pages(
      target,
      async (NextToken) => {
        const page = await this.clients.ec2.send(
          new DescribeVolumesCommand({
            ...(VolumeIds ? { VolumeIds } : {}),
            ...(filters.length ? { Filters: filters } : {}),
            NextToken,
          }),
        );
        return { items: page.Volumes ?? [], nextToken: page.NextToken };
      },
      (volume) => volume.VolumeId,
    );
  }

  async #transitGateways(target: Target): Promise<string[]> {
    const filters = tagFilters(target);
    const TransitGatewayIds = target.resourceArns?.map(arnResourceId);
    return this.#ec2Pages(
      target,
      async (NextToken) => {
        const page = await this.clients.ec2.send(
          new DescribeTransitGatewaysCommand({
            ...(TransitGatewayIds ? { TransitGatewayIds } : {}),
            ...(filters.length ? { Filters: filters } : {}),
            NextToken,
          }),
        );
        return { items: page.TransitGateways ?? [], nextToken: page.NextToken };
      },
      (tgw) => tgw.TransitGatewayArn,
    );
  }

  async #vpcEndpoints(target: Target): Promise<string[]> {
    const filters = tagFilters(target);
    const VpcEndpointIds = target.resourceArns?.map(arnResourceId);
    return this.#ec2Pages(
      target,
      async (NextToken) => {
        const page = await this.clients.ec2.send(
          new DescribeVpcEndpointsCommand({
            ...(VpcEndpointIds ? { VpcEndpointIds } : {}),
            ...(filters.length ? { Filters: filters } : {}),
            NextToken,
          }),
        );
        return { items: page.VpcEndpoints ?? [], nextToken: page.NextToken };
      },
      (endpoint) => endpoint.VpcEndpointId,
    );
  }

  async #ecsTasks(name: string, target: Target): Promise<string[]> {
    const byCluster = new Map<string, string[]>();
    if (target.resourceArns?.length) {
      // Task ARNs name their cluster: arn:aws:ecs:<region>:<account>:task/<cluster>/<task-id>.
      for (const arn of target.resourceArns) {
        const parts = arn.split(':').slice(5).join(':').split('/');
        if (parts.length !== 3)
          throw new TargetsUnresolvableError(name, target.resourceType, `"${arn}" is not a task ARN with its cluster`);
        const cluster = parts[1] as string;
        byCluster.set(cluster, [...(byCluster.get(cluster) ?? []), arn]);
      }
    } else {
      const clusters = target.parameters?.cluster ? [target.parameters.cluster] : await this.#ecsClusterArns();
      for (const cluster of clusters)
        byCluster.set(cluster, await this.#ecsTaskArns(cluster, target.parameters?.service));
    }
    const out: string[] = [];
    for (const [cluster, tasks] of byCluster) {
      for (let i = 0; i < tasks.length; i += ECS_DESCRIBE_LIMIT) {
        const page = await this.clients.ecs.send(
          new DescribeTasksCommand({ cluster, tasks: tasks.slice(i, i + ECS_DESCRIBE_LIMIT), include: ['TAGS'] }),
        );
        for (const task of page.tasks ?? []) if (this.#taskMatches(task, target)) out.push(task.taskArn as string);
      }
    }
    return out;
  }

  #taskMatches(task: Task, target: Target): boolean {
    return (
      task.taskArn !== undefined &&
      task.lastStatus !== 'STOPPED' &&
      hasTags(tagRecord(task.tags), target.resourceTags) &&
      matchesFilters(task, target.filters)
    );
  }

  async #ecsClusterArns(): Promise<string[]> {
    const out: string[] = [];
    let nextToken: string | undefined;
    do {
      const page = await this.clients.ecs.send(new ListClustersCommand({ nextToken }));
      out.push(...(page.clusterArns ?? []));
      nextToken = page.nextToken;
    } while (nextToken);
    return out;
  }

  /** ECS clusters, described (with their tags) 100 at a time, as DescribeClusters takes. */
  async #ecsClusters(target: Target): Promise<string[]> {
    const arns = target.resourceArns?.length ? [...target.resourceArns] : await this.#ecsClusterArns();
    const out: string[] = [];
    for (let i = 0; i < arns.length; i += ECS_DESCRIBE_LIMIT) {
      const page = await this.clients.ecs.send(
        new DescribeClustersCommand({ clusters: arns.slice(i, i + ECS_DESCRIBE_LIMIT), include: ['TAGS'] }),
      );
      for (const cluster of page.clusters ?? []) {
        if (!cluster.clusterArn || cluster.status === 'INACTIVE') continue;
        if (hasTags(tagRecord(cluster.tags), target.resourceTags) && matchesFilters(cluster, target.filters))
          out.push(cluster.clusterArn);
      }
    }
    return out;
  }

  async #ecsTaskArns(cluster: string, service: string | undefined): Promise<string[]> {
    const out: string[] = [];
    let nextToken: string | undefined;
    do {
      const page = await this.clients.ecs.send(
        new ListTasksCommand({
          cluster,
          ...(service ? { serviceName: service } : {}),
          desiredStatus: 'RUNNING',
          nextToken,
        }),
      );
      out.push(...(page.taskArns ?? []));
      nextToken = page.nextToken;
    } while (nextToken);
    return out;
  }

  async #lambdaFunctions(target: Target): Promise<string[]> {
    const wantsTags = Object.keys(target.resourceTags ?? {}).length > 0;
    if (target.resourceArns?.length) {
      const out: string[] = [];
      for (const arn of target.resourceArns) {
        const fn = await this.clients.lambda.send(new GetFunctionCommand({ FunctionName: arn }));
        if (!fn.Configuration?.FunctionArn || !hasTags(fn.Tags ?? {}, target.resourceTags)) continue;
        if (matchesFilters(fn.Configuration, target.filters)) out.push(fn.Configuration.FunctionArn);
      }
      return out;
    }
    const candidates: string[] = [];
    let marker: string | undefined;
    do {
      const page = await this.clients.lambda.send(new ListFunctionsCommand({ Marker: marker }));
      for (const fn of page.Functions ?? []) {
        if (fn.FunctionArn && matchesFilters(fn, target.filters)) candidates.push(fn.FunctionArn);
      }
      marker = page.NextMarker;
    } while (marker);
    if (!wantsTags) return candidates;
    // ListFunctions carries no tags: read them per candidate, a few at a time to stay under Lambda's API rate.
    const out: string[] = [];
    for (let i = 0; i < candidates.length; i += LAMBDA_TAG_CONCURRENCY) {
      const slice = candidates.slice(i, i + LAMBDA_TAG_CONCURRENCY);
      const described = await Promise.all(
        slice.map((arn) => this.clients.lambda.send(new GetFunctionCommand({ FunctionName: arn }))),
      );
      described.forEach((fn, j) => {
        if (hasTags(fn.Tags ?? {}, target.resourceTags)) out.push(slice[j] as string);
      });
    }
    return out;
  }

  /**
   * DynamoDB global tables: candidates by ARN or by tags (the Tagging API), then DescribeTable for the filters and
   * to keep only tables that are global (replicated to another Region), which is what FIS acts on.
   */
  async #globalTables(name: string, target: Target): Promise<string[]> {
    const candidates = target.resourceArns?.length ? [...target.resourceArns] : await this.#tagged(target);
    const dynamodb = this.clients.dynamodb ?? new DynamoDBClient({ region: await this.clients.ec2.config.region() });
    const out: string[] = [];
    for (const arn of candidates) {
      const tableName = arn.startsWith('arn:')
        ? arn
            .split(':')
            .slice(5)
            .join(':')
            .replace(/^table\//, '')
        : arn;
      if (!tableName) throw new TargetsUnresolvableError(name, target.resourceType, `"${arn}" names no table`);
      const { Table: table } = await dynamodb.send(new DescribeTableCommand({ TableName: tableName }));
      if (!table?.TableArn || !(table.Replicas?.length ?? 0)) continue;
      if (matchesFilters(table, target.filters)) out.push(table.TableArn);
    }
    return out;
  }

  /** Tag-selected resources through the Resource Groups Tagging API (ARN-selected ones as listed). */
  async #tagged(target: Target): Promise<string[]> {
    const tags = Object.entries(target.resourceTags ?? {});
    if (!tags.length) return [...(target.resourceArns ?? [])];
    const out: string[] = [];
    let token: string | undefined;
    do {
      const page = await this.clients.tagging.send(
        new GetResourcesCommand({
          ResourceTypeFilters: [taggingResourceType(target.resourceType)],
          TagFilters: tags.map(([Key, Value]) => ({ Key, Values: [Value] })),
          ResourcesPerPage: 100,
          PaginationToken: token,
        }),
      );
      for (const mapping of page.ResourceTagMappingList ?? []) if (mapping.ResourceARN) out.push(mapping.ResourceARN);
      token = page.PaginationToken || undefined;
    } while (token);
    return target.resourceArns?.length ? out.filter((arn) => target.resourceArns?.includes(arn)) : out;
  }

  /** Aurora clusters; `writerAvailabilityZoneIdentifiers` keeps those whose writer instance is in one of the AZs. */
  async #dbClusters(target: Target): Promise<string[]> {
    const zones = zoneList(target.parameters?.writerAvailabilityZoneIdentifiers);
    const wanted = zones ? await this.#zones(zones) : undefined;
    const rds = await this.#rdsClient;
    const matching: DBCluster[] = [];
    await this.#pages(target, 'cluster', (resource) => matching.push(resource as DBCluster));
    if (!wanted) return matching.map((c) => c.DBClusterArn as string);
    // A cluster's writer is one of its members; its AZ is on the DB instance.
    const writers = new Map<string, string>();
    for (const cluster of matching) {
      const writer = cluster.DBClusterMembers?.find((m) => m.IsClusterWriter)?.DBInstanceIdentifier;
      if (writer) writers.set(writer, cluster.DBClusterArn as string);
    }
    const out: string[] = [];
    const ids = [...writers.keys()];
    for (let i = 0; i < ids.length; i += RDS_FILTER_LIMIT) {
      let marker: string | undefined;
      do {
        const page = await rds.send(
          new DescribeDBInstancesCommand({
            Filters: [{ Name: 'db-instance-id', Values: ids.slice(i, i + RDS_FILTER_LIMIT) }],
            Marker: marker,
          }),
        );
        for (const db of page.DBInstances ?? []) {
          const cluster = db.DBInstanceIdentifier ? writers.get(db.DBInstanceIdentifier) : undefined;
          if (cluster && db.AvailabilityZone && wanted.has(db.AvailabilityZone)) out.push(cluster);
        }
        marker = page.Marker;
      } while (marker);
    }
    return out;
  }

  /** DB instances; `availabilityZoneIdentifiers` keeps those in one of the AZs. */
  async #dbInstances(target: Target): Promise<string[]> {
    const zones = zoneList(target.parameters?.availabilityZoneIdentifiers);
    const wanted = zones ? await this.#zones(zones) : undefined;
    const out: string[] = [];
    await this.#pages(target, 'instance', (resource) => {
      const az = (resource as { AvailabilityZone?: string }).AvailabilityZone;
      if (!wanted || (az !== undefined && wanted.has(az)))
        out.push((resource as { DBInstanceArn: string }).DBInstanceArn);
    });
    return out;
  }

  /** DB clusters or instances (one Describe call per Marker page) carrying the target's tags and filters. */
  async #pages(target: Target, kind: 'cluster' | 'instance', keep: (resource: unknown) => void): Promise<void> {
    // db-cluster-id and db-instance-id accept identifiers and ARNs.
    const ids = target.resourceArns?.length ? target.resourceArns : undefined;
    let marker: string | undefined;
    do {
      const page = await (kind === 'cluster' ? dbClusters : dbInstances)(await this.#rdsClient, ids, marker);
      for (const resource of page.resources) {
        if (!resource.arn || !hasTags(tagRecord(resource.tags), target.resourceTags)) continue;
        if (matchesFilters(resource.described, target.filters)) keep(resource.described);
      }
      marker = page.marker;
    } while (marker);
  }

  /**
   * ElastiCache replication groups with a node in `availabilityZoneIdentifier` (required by FIS), carrying the
   * target's tags (ListTagsForResource: DescribeReplicationGroups returns none) and filters.
   */
  async #replicationGroups(name: string, target: Target): Promise<string[]> {
    const az = target.parameters?.availabilityZoneIdentifier;
    if (!az) {
      throw new TargetsUnresolvableError(
        name,
        target.resourceType,
        'parameter availabilityZoneIdentifier is required (the AZ whose nodes lose power)',
      );
    }
    const elasticache = await this.#elastiCacheClient;
    const wanted = await this.#zones([az]);
    const ids = target.resourceArns?.length ? target.resourceArns.map((arn) => arn.split(':').at(-1) as string) : [];
    const groups: ReplicationGroup[] = [];
    if (ids.length) {
      for (const ReplicationGroupId of ids) {
        const page = await elasticache.send(new DescribeReplicationGroupsCommand({ ReplicationGroupId }));
        groups.push(...(page.ReplicationGroups ?? []));
      }
    } else {
      let Marker: string | undefined;
      do {
        const page = await elasticache.send(new DescribeReplicationGroupsCommand({ Marker }));
        groups.push(...(page.ReplicationGroups ?? []));
        Marker = page.Marker;
      } while (Marker);
    }
    const out: string[] = [];
    for (const group of groups) {
      if (!group.ARN || !matchesFilters(group, target.filters)) continue;
      const inZone = (group.NodeGroups ?? []).some((ng) =>
        (ng.NodeGroupMembers ?? []).some((m) => m.PreferredAvailabilityZone && wanted.has(m.PreferredAvailabilityZone)),
      );
      if (!inZone) continue;
      if (Object.keys(target.resourceTags ?? {}).length) {
        const tags = await elasticache.send(new ListTagsForResourceCommand({ ResourceName: group.ARN }));
        if (!hasTags(tagRecord(tags.TagList), target.resourceTags)) continue;
      }
      out.push(group.ARN);
    }
    return out;
  }
}

interface RdsPage {
  resources: Array<{ arn: string | undefined; tags: Tag[] | undefined; described: unknown }>;
  marker: string | undefined;
}
type RdsPageReader = (rds: RDSClient, ids: string[] | undefined, marker: string | undefined) => Promise<RdsPage>;

const dbClusters: RdsPageReader = async (rds, ids, Marker) => {
  const page = await rds.send(
    new DescribeDBClustersCommand({ ...(ids ? { Filters: [{ Name: 'db-cluster-id', Values: ids }] } : {}), Marker }),
  );
  return {
    resources: (page.DBClusters ?? []).map((c) => ({ arn: c.DBClusterArn, tags: c.TagList, described: c })),
    marker: page.Marker,
  };
};

const dbInstances: RdsPageReader = async (rds, ids, Marker) => {
  const page = await rds.send(
    new DescribeDBInstancesCommand({ ...(ids ? { Filters: [{ Name: 'db-instance-id', Values: ids }] } : {}), Marker }),
  );
  return {
    resources: (page.DBInstances ?? []).map((d) => ({ arn: d.DBInstanceArn, tags: d.TagList, described: d })),
    marker: page.Marker,
  };
};
