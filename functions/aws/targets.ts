// Target pools for the blast-radius guardrail: every resource an FIS target definition could hit, read from the
// resource's own API (EC2, ECS, RDS, Lambda) or, for other types, the Resource Groups Tagging API.
// FIS filters are paths into the resource's describe output (`State.Name`, `Placement.AvailabilityZone`), so they
// are applied here to the same objects; a few are also sent to EC2 as server-side filters to keep pages small.
import { DescribeInstancesCommand, DescribeSubnetsCommand, type EC2Client, type Filter } from '@aws-sdk/client-ec2';
import {
  DescribeTasksCommand,
  type ECSClient,
  ListClustersCommand,
  ListTasksCommand,
  type Task,
} from '@aws-sdk/client-ecs';
import { GetFunctionCommand, type LambdaClient, ListFunctionsCommand } from '@aws-sdk/client-lambda';
import { GetResourcesCommand, type ResourceGroupsTaggingAPIClient } from '@aws-sdk/client-resource-groups-tagging-api';
import type { Target } from '../../core/experiment/schema.js';
import type { TargetPool, TargetPools } from '../../core/ports.js';
import { poolResolverFor } from '../../core/targets/pools.js';

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

export function refuseParameters(name: string, target: Target, allowed: string[]): void {
  const unknown = Object.keys(target.parameters ?? {}).filter((p) => !allowed.includes(p));
  if (unknown.length) {
    throw new TargetsUnresolvableError(
      name,
      target.resourceType,
      `parameter(s) ${unknown.join(', ')} cannot be evaluated for the blast-radius check${
        allowed.length ? ` (supported: ${allowed.join(', ')})` : ''
      }`,
    );
  }
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
}

/** Whether a resource type's pool is read through RDS (targets-rds.ts), which this module does not bundle. */
export function isRdsType(resourceType: string): boolean {
  return poolResolverFor(resourceType) === 'rds';
}

/**
 * Pools of EC2, ECS, Lambda and tagged targets. RDS targets go to `rds` (RdsTargetPools, targets-rds.ts): its
 * client is the heaviest, so the ResolveTargets function does not bundle it and RDS pools have their own function.
 */
export class AwsTargetPoolResolver implements TargetPools {
  constructor(
    private readonly clients: TargetClients,
    private readonly rds?: TargetPools,
  ) {}

  async resolve(name: string, target: Target): Promise<TargetPool> {
    return targetPool(name, target, await this.#eligible(name, target));
  }

  async #eligible(name: string, target: Target): Promise<string[]> {
    if (isRdsType(target.resourceType)) {
      if (!this.rds)
        throw new Error(`target "${name}" (${target.resourceType}): RDS pools are resolved by ResolveRdsTargets`);
      return (await this.rds.resolve(name, target)).eligible;
    }
    switch (target.resourceType) {
      case 'aws:ec2:instance':
        refuseParameters(name, target, []);
        return this.#ec2Instances(target);
      case 'aws:ec2:subnet':
        refuseParameters(name, target, ['availabilityZoneIdentifier', 'vpc']);
        return this.#subnets(target);
      case 'aws:ecs:task':
        refuseParameters(name, target, ['cluster', 'service']);
        return this.#ecsTasks(name, target);
      case 'aws:lambda:function':
        refuseParameters(name, target, []);
        return this.#lambdaFunctions(target);
      default:
        return this.#tagged(name, target);
    }
  }

  async #ec2Instances(target: Target): Promise<string[]> {
    const filters: Filter[] = Object.entries(target.resourceTags ?? {}).map(([k, v]) => ({
      Name: `tag:${k}`,
      Values: [v],
    }));
    for (const f of target.filters ?? []) {
      const server = EC2_INSTANCE_FILTERS[f.path];
      if (server) filters.push({ Name: server, Values: f.values });
    }
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
          if (!hasTags(tagRecord(instance.Tags), target.resourceTags)) continue;
          out.push(`arn:${partitionOf(region)}:ec2:${region}:${reservation.OwnerId}:instance/${instance.InstanceId}`);
        }
      }
      nextToken = page.NextToken;
    } while (nextToken);
    return out;
  }

  async #subnets(target: Target): Promise<string[]> {
    const filters: Filter[] = Object.entries(target.resourceTags ?? {}).map(([k, v]) => ({
      Name: `tag:${k}`,
      Values: [v],
    }));
    const vpc = target.parameters?.vpc;
    if (vpc) filters.push({ Name: 'vpc-id', Values: [vpc] });
    const az = target.parameters?.availabilityZoneIdentifier;
    // FIS accepts an AZ name (us-east-1a) or an AZ id (use1-az1) here.
    if (az)
      filters.push({
        Name: /^[a-z]{2,5}\d+-az\d+$/.test(az) ? 'availability-zone-id' : 'availability-zone',
        Values: [az],
      });
    const subnetIds = target.resourceArns?.map(arnResourceId);
    const out: string[] = [];
    let nextToken: string | undefined;
    do {
      const page = await this.clients.ec2.send(
        new DescribeSubnetsCommand({
          ...(subnetIds ? { SubnetIds: subnetIds } : {}),
          ...(filters.length ? { Filters: filters } : {}),
          NextToken: nextToken,
        }),
      );
      for (const subnet of page.Subnets ?? []) {
        if (!subnet.SubnetArn || !matchesFilters(subnet, target.filters)) continue;
        if (!hasTags(tagRecord(subnet.Tags), target.resourceTags)) continue;
        out.push(subnet.SubnetArn);
      }
      nextToken = page.NextToken;
    } while (nextToken);
    return out;
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
      const clusters = target.parameters?.cluster ? [target.parameters.cluster] : await this.#ecsClusters();
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

  async #ecsClusters(): Promise<string[]> {
    const out: string[] = [];
    let nextToken: string | undefined;
    do {
      const page = await this.clients.ecs.send(new ListClustersCommand({ nextToken }));
      out.push(...(page.clusterArns ?? []));
      nextToken = page.nextToken;
    } while (nextToken);
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

  async #tagged(name: string, target: Target): Promise<string[]> {
    if (target.filters?.length) {
      throw new TargetsUnresolvableError(
        name,
        target.resourceType,
        'filters cannot be evaluated for this resource type (no describe API is read for it)',
      );
    }
    refuseParameters(name, target, []);
    const tags = Object.entries(target.resourceTags ?? {});
    if (!tags.length) {
      if (target.resourceArns?.length) return target.resourceArns;
      throw new TargetsUnresolvableError(
        name,
        target.resourceType,
        'needs resourceArns or resourceTags to be resolved',
      );
    }
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
}
