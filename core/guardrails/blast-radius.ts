// Guardrail: the fault may hit at most `maxTargets` resources and `maxPercent` of the eligible pool, counted by
// applying each target's selection mode to its pool (resolved by the TargetPools map before Preflight); an empty
// pool refuses (nothing to hit) unless the template lets FIS skip it (emptyTargetResolutionMode: skip). A pool
// AWS APIs cannot count (EKS pods, core/targets/pools.ts) refuses unless the file lists the target in
// guardrails.blastRadius.uncounted.
import type { Guardrails } from '../experiment/schema.js';
import type { Check } from '../result/model.js';
import type { TargetGroupPool } from '../targets/pools.js';
import { InvalidSelectionModeError, selectedCount } from '../targets/selection.js';

export type BlastRadius = NonNullable<Guardrails['blastRadius']>;

/** What a fault can hit, per resource type: the worst case over every target of that type. */
export interface BlastRadiusObservation {
  resourceType: string;
  /** resources that could be hit */
  hit: number;
  /** distinct eligible resources of this type */
  pool: number;
  percent: number;
}

/**
 * Targets of the same resource type may pick different resources (two COUNT(1) over one pool can hit two
 * instances), so hits add up per type, capped at the distinct pool. Different types (instances vs subnets) are
 * not comparable and are judged separately.
 */
export function blastRadiusByType(pools: readonly TargetGroupPool[]): BlastRadiusObservation[] {
  return pools.flatMap(({ resourceType, distinct, targets }) => {
    const counted = targets.filter((t) => t.uncounted === undefined);
    if (counted.length === 0) return [];
    const hit = counted.reduce((sum, t) => sum + selectedCount(t.selectionMode, t.eligible), 0);
    const capped = Math.min(hit, distinct);
    return [{ resourceType, hit: capped, pool: distinct, percent: distinct ? (100 * capped) / distinct : 0 }];
  });
}

/** What of the template the check needs besides the pools. */
export interface BlastRadiusOptions {
  /** the template's experimentOptions.emptyTargetResolutionMode: `skip` lets FIS skip actions whose target is empty */
  emptyTargetResolutionMode?: string | undefined;
}

function formatPercent(percent: number): string {
  return `${Math.round(percent * 10) / 10}%`;
}

export function blastRadiusCheck(
  pools: readonly TargetGroupPool[],
  blastRadius: BlastRadius | undefined,
  options: BlastRadiusOptions = {},
): Check {
  const bound = { maxTargets: blastRadius?.maxTargets, maxPercent: blastRadius?.maxPercent };
  const all = pools.flatMap((p) => p.targets.map((t) => ({ ...t, resourceType: p.resourceType })));
  const optedIn = new Set(blastRadius?.uncounted ?? []);
  const refusedUncounted = all.filter((t) => t.uncounted !== undefined && !optedIn.has(t.target));
  if (refusedUncounted.length > 0) {
    return {
      name: 'blastRadius',
      ok: false,
      observed: Object.fromEntries(refusedUncounted.map((t) => [t.target, 'uncounted'])),
      bound,
      message: `blastRadius: ${refusedUncounted
        .map((t) => `the pool of ${t.target} (${t.resourceType}) cannot be counted: ${t.uncounted}`)
        .join(
          '; ',
        )}; list ${refusedUncounted.length > 1 ? 'them' : 'it'} in guardrails.blastRadius.uncounted to run without counting`,
    };
  }
  // Actions such as aws:ssm:start-automation-execution or aws:fis:wait take no target: FIS selects no resource, so
  // there is no pool to count (what a runbook touches is its own parameters' business, as in FIS).
  if (all.length === 0) {
    return {
      name: 'blastRadius',
      ok: true,
      observed: {},
      bound,
      message: 'blastRadius: the template has no target (its actions select no resources); nothing to count',
    };
  }
  const uncounted = all.filter((t) => t.uncounted !== undefined);
  const targets = all.filter((t) => t.uncounted === undefined);
  const empty = targets.filter((t) => t.eligible === 0);
  // With `skip`, FIS skips the actions of an empty target and runs the rest; nothing at all to hit still refuses.
  const skipsEmpty = options.emptyTargetResolutionMode === 'skip';
  const nothingToHit = uncounted.length === 0 && empty.length === targets.length;
  if (empty.length > 0 && (!skipsEmpty || nothingToHit)) {
    const which = empty.map((t) => `${t.target} (${t.resourceType})`).join(', ');
    return {
      name: 'blastRadius',
      ok: false,
      observed: Object.fromEntries(targets.map((t) => [t.target, 0])),
      bound,
      message: `blastRadius: no target matched: ${which} resolved to 0 eligible resources; check the target's ARNs, tags and filters`,
    };
  }
  let observations: BlastRadiusObservation[];
  try {
    observations = blastRadiusByType(pools);
  } catch (error) {
    // A template read from FIS could carry a mode we do not understand: refuse rather than guess its reach.
    if (!(error instanceof InvalidSelectionModeError)) throw error;
    return { name: 'blastRadius', ok: false, observed: error.mode, bound, message: `blastRadius: ${error.message}` };
  }
  const observed = Object.fromEntries(observations.map((o) => [o.resourceType, { hit: o.hit, pool: o.pool }]));
  const breaches: string[] = [];
  for (const o of observations) {
    if (blastRadius?.maxTargets !== undefined && o.hit > blastRadius.maxTargets) {
      breaches.push(`would hit ${o.hit} of ${o.pool} ${o.resourceType}, above maxTargets ${blastRadius.maxTargets}`);
    }
    if (blastRadius?.maxPercent !== undefined && o.percent > blastRadius.maxPercent) {
      breaches.push(
        `would hit ${o.hit} of ${o.pool} ${o.resourceType} (${formatPercent(o.percent)}), above maxPercent ${blastRadius.maxPercent}%`,
      );
    }
  }
  const summary = [
    ...observations.map((o) => `${o.hit} of ${o.pool} ${o.resourceType} (${formatPercent(o.percent)})`),
    ...uncounted.map((t) => `an uncounted share of ${t.target} (${t.resourceType}, opted in)`),
  ].join(', ');
  const skipped = empty.length
    ? `; FIS skips ${empty.map((t) => `${t.target} (${t.resourceType})`).join(', ')}: 0 eligible, emptyTargetResolutionMode skip`
    : '';
  if (breaches.length > 0) {
    return {
      name: 'blastRadius',
      ok: false,
      observed,
      bound,
      message: `blastRadius: ${breaches.join('; ')}; lower the selection mode or raise guardrails.blastRadius`,
    };
  }
  const limits = blastRadius
    ? [
        blastRadius.maxTargets !== undefined ? `maxTargets ${blastRadius.maxTargets}` : undefined,
        blastRadius.maxPercent !== undefined ? `maxPercent ${blastRadius.maxPercent}%` : undefined,
      ].filter(Boolean)
    : [];
  return {
    name: 'blastRadius',
    ok: true,
    observed,
    bound,
    message: `blastRadius: would hit ${summary}${limits.length ? `, within ${limits.join(' and ')}` : ', no limit set'}${skipped}`,
  };
}
