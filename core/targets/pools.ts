// Target pools as the workflow carries them: grouped by resource type, so each group is resolved by the Lambda
// function that bundles that resource's API client, and summed up as counts, so a fleet of thousands of resources
// does not push resource ids through the state machine (256 KB per state).
import type { Target, Template } from '../experiment/schema.js';
import type { TargetPool } from '../ports.js';

/**
 * Which function resolves a resource type's pool. RDS's query-protocol client alone is ~120 KB minified, so RDS
 * pools have a function of their own (ResolveRdsTargets); every other type is resolved by ResolveTargets.
 */
export type PoolResolver = 'rds' | 'default';

/** The FIS resource types whose pools are read through RDS (DescribeDBClusters, DescribeDBInstances). */
export const RDS_RESOURCE_TYPES: readonly string[] = ['aws:rds:cluster', 'aws:rds:db'];

export function poolResolverFor(resourceType: string): PoolResolver {
  return RDS_RESOURCE_TYPES.includes(resourceType) ? 'rds' : 'default';
}

/** The targets of one resource type: one iteration of the workflow's TargetPools map. */
export interface TargetGroup {
  resolver: PoolResolver;
  resourceType: string;
  targets: Record<string, Target>;
}

/** The template's targets grouped by resource type, in the template's order. */
export function targetGroups(template: Pick<Template, 'targets'>): TargetGroup[] {
  const groups = new Map<string, TargetGroup>();
  for (const [name, target] of Object.entries(template.targets)) {
    const group = groups.get(target.resourceType) ?? {
      resolver: poolResolverFor(target.resourceType),
      resourceType: target.resourceType,
      targets: {},
    };
    group.targets[name] = target;
    groups.set(target.resourceType, group);
  }
  return [...groups.values()];
}

/** What the blast-radius guardrail needs of one resource type's pools: counts, not ids. */
export interface TypePool {
  resourceType: string;
  /** distinct resources eligible for any target of this type (two targets may share resources) */
  distinct: number;
  targets: Array<{ target: string; eligible: number; selectionMode: string }>;
}

/** Resolved pools summed up per resource type, in the order the types first appear. */
export function poolsByType(pools: readonly TargetPool[]): TypePool[] {
  const byType = new Map<string, { ids: Set<string>; pool: TypePool }>();
  for (const p of pools) {
    const entry = byType.get(p.resourceType) ?? {
      ids: new Set<string>(),
      pool: { resourceType: p.resourceType, distinct: 0, targets: [] },
    };
    for (const id of p.eligible) entry.ids.add(id);
    entry.pool.targets.push({ target: p.target, eligible: new Set(p.eligible).size, selectionMode: p.selectionMode });
    byType.set(p.resourceType, entry);
  }
  return [...byType.values()].map(({ ids, pool }) => ({ ...pool, distinct: ids.size }));
}
