// Target pools as the workflow carries them: grouped by resource type, one iteration of the TargetPools map each,
// and summed up as counts, so a fleet of thousands of resources
// does not push resource ids through the state machine (256 KB per state).
import type { Target, Template } from '../experiment/schema.js';
import type { TargetPool } from '../ports.js';

/**
 * How the blast-radius guardrail reads a resource type's eligible pool, and what of an FIS target definition that
 * read honours. FIS applies a target's filters to the output of the type's Describe action
 * (https://docs.aws.amazon.com/fis/latest/userguide/targets.html#target-filters), so a type read through its own
 * Describe API honours filters; a type read through the Resource Groups Tagging API sees tags only.
 */
export interface PoolRead {
  /**
   * the read: an IAM action of the resource's own API, `tag:GetResources` (tags only), `resourceArns` (counted as
   * listed: no API lists them by tag), or `none` (no AWS API can count the pool)
   */
  readonly via: string;
  /** target `parameters` the read applies, as FIS does */
  readonly parameters: readonly string[];
  /** whether `filters` are applied (to the Describe output, by path) */
  readonly filters: boolean;
  /** for `none`: why the pool cannot be counted */
  readonly why?: string;
}

const describe = (via: string, parameters: readonly string[] = []): PoolRead => ({
  via,
  parameters,
  filters: true,
});
const TAGS_ONLY: PoolRead = { via: 'tag:GetResources', parameters: [], filters: false };
const ARNS_ONLY: PoolRead = { via: 'resourceArns', parameters: [], filters: false };

/** Every FIS target resource type and how its pool is read (functions/aws/targets.ts implements each read). */
export const POOL_READS: Readonly<Record<string, PoolRead>> = {
  'aws:ec2:instance': describe('ec2:DescribeInstances'),
  'aws:ec2:spot-instance': describe('ec2:DescribeInstances'),
  'aws:ec2:subnet': describe('ec2:DescribeSubnets', ['availabilityZoneIdentifier', 'vpc']),
  'aws:ec2:ebs-volume': describe('ec2:DescribeVolumes', ['availabilityZoneIdentifier']),
  'aws:ec2:transit-gateway': describe('ec2:DescribeTransitGateways'),
  'aws:ec2:vpc-endpoint': describe('ec2:DescribeVpcEndpoints'),
  'aws:ecs:task': describe('ecs:DescribeTasks', ['cluster', 'service']),
  'aws:ecs:cluster': describe('ecs:DescribeClusters'),
  // functionQualifier picks which invocations of a function are faulted, not which functions: the pool is the same.
  'aws:lambda:function': describe('lambda:ListFunctions', ['functionQualifier']),
  'aws:dynamodb:global-table': describe('dynamodb:DescribeTable'),
  'aws:rds:cluster': describe('rds:DescribeDBClusters', ['writerAvailabilityZoneIdentifiers']),
  'aws:rds:db': describe('rds:DescribeDBInstances', ['availabilityZoneIdentifiers']),
  'aws:elasticache:replicationgroup': describe('elasticache:DescribeReplicationGroups', ['availabilityZoneIdentifier']),
  // The type's former name, still in templates written before FIS renamed it.
  'aws:elasticache:redis-replicationgroup': describe('elasticache:DescribeReplicationGroups', [
    'availabilityZoneIdentifier',
  ]),
  'aws:ec2:autoscaling-group': TAGS_ONLY,
  'aws:eks:cluster': TAGS_ONLY,
  'aws:eks:nodegroup': TAGS_ONLY,
  'aws:kinesis:stream': TAGS_ONLY,
  'aws:s3:bucket': TAGS_ONLY,
  'aws:directconnect:virtual-interface': TAGS_ONLY,
  'aws:iam:role': ARNS_ONLY,
  'aws:arc:zonal-shift-managed-resource': ARNS_ONLY,
  'aws:memorydb:multi-region-cluster': ARNS_ONLY,
  'aws:dsql:cluster': ARNS_ONLY,
  'aws:eks:pod': {
    via: 'none',
    parameters: [],
    filters: false,
    why: 'FIS picks pods inside the cluster through the Kubernetes API (namespace and selector), which no AWS API lists',
  },
};

/** The fields of a target definition this module reads (a raw file's target, or a parsed one). */
export interface TargetDefinition {
  resourceType: string;
  resourceArns?: readonly string[] | undefined;
  resourceTags?: Readonly<Record<string, string>> | undefined;
  filters?: ReadonlyArray<{ path: string; values: readonly string[] }> | undefined;
  parameters?: Readonly<Record<string, string>> | undefined;
}

/**
 * Why the blast-radius guardrail cannot count a target's pool from AWS APIs, or undefined when it can. Such a
 * target runs only when the file lists it in `guardrails.blastRadius.uncounted` (validation says so for inline
 * templates; preflight for templates read from FIS).
 */
export function uncountedReason(target: TargetDefinition): string | undefined {
  const read = POOL_READS[target.resourceType];
  if (!read) return `shaketable has no pool read for ${target.resourceType}`;
  if (read.via === 'none') return read.why;
  const parameters = Object.keys(target.parameters ?? {}).filter((p) => !read.parameters.includes(p));
  if (parameters.length) {
    return `parameter(s) ${parameters.join(', ')} of ${target.resourceType} cannot be applied to its pool (${read.via} applies ${read.parameters.length ? read.parameters.join(', ') : 'none'})`;
  }
  const hasArns = (target.resourceArns?.length ?? 0) > 0;
  const hasTags = Object.keys(target.resourceTags ?? {}).length > 0;
  if ((target.filters?.length ?? 0) > 0 && !read.filters) {
    return `filters cannot be applied to ${target.resourceType}: its pool is read through ${read.via}, which returns no description to apply them to`;
  }
  if (read.via === 'resourceArns' && !hasArns) {
    return `${target.resourceType} is counted from resourceArns only; no AWS API lists it by tags or filters`;
  }
  if (read.via === 'tag:GetResources' && !hasArns && !hasTags) {
    return `${target.resourceType} is counted by resourceArns or resourceTags; this target has neither`;
  }
  return undefined;
}

/** The targets of one resource type: one iteration of the workflow's TargetPools map. */
export interface TargetGroup {
  resourceType: string;
  targets: Record<string, Target>;
}

/** The template's targets grouped by resource type, in the template's order. */
export function targetGroups(template: Pick<Template, 'targets'>): TargetGroup[] {
  const groups = new Map<string, TargetGroup>();
  for (const [name, target] of Object.entries(template.targets)) {
    const group = groups.get(target.resourceType) ?? { resourceType: target.resourceType, targets: {} };
    group.targets[name] = target;
    groups.set(target.resourceType, group);
  }
  return [...groups.values()];
}

/** What the blast-radius guardrail needs of one resource type's pools: counts, not ids. */
export interface TargetGroupPool {
  resourceType: string;
  /** distinct resources eligible for any target of this type (two targets may share resources) */
  distinct: number;
  targets: Array<{ target: string; eligible: number; selectionMode: string; uncounted?: string }>;
}

/** Resolved pools summed up per resource type, in the order the types first appear. */
export function poolsByType(pools: readonly TargetPool[]): TargetGroupPool[] {
  const byType = new Map<string, { ids: Set<string>; pool: TargetGroupPool }>();
  for (const p of pools) {
    const entry = byType.get(p.resourceType) ?? {
      ids: new Set<string>(),
      pool: { resourceType: p.resourceType, distinct: 0, targets: [] },
    };
    for (const id of p.eligible) entry.ids.add(id);
    entry.pool.targets.push({
      target: p.target,
      eligible: new Set(p.eligible).size,
      selectionMode: p.selectionMode,
      ...(p.uncounted !== undefined ? { uncounted: p.uncounted } : {}),
    });
    byType.set(p.resourceType, entry);
  }
  return [...byType.values()].map(({ ids, pool }) => ({ ...pool, distinct: ids.size }));
}
