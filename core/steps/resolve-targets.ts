// ResolveTargets (one iteration of the TargetPools map): the pools of one resource type's
// targets, as counts for the blast-radius guardrail in Preflight.
import { poolsByType, type TargetGroup, type TargetGroupPool } from '../targets/pools.js';
import type { StepDeps } from './deps.js';

export type ResolveTargetsDeps = Pick<StepDeps, 'targets'>;

export async function resolveTargets(
  deps: ResolveTargetsDeps,
  { group }: { group: TargetGroup },
): Promise<TargetGroupPool> {
  const pools = [];
  for (const [name, target] of Object.entries(group.targets)) pools.push(await deps.targets.resolve(name, target));
  return poolsByType(pools)[0] ?? { resourceType: group.resourceType, distinct: 0, targets: [] };
}
