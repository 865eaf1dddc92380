// A target whose pool AWS APIs cannot count (EKS pods chosen inside a cluster, filters on a type read through the
// Tagging API…: core/targets/pools.ts) runs without a blast-radius count only when the file says so, by listing it
// in guardrails.blastRadius.uncounted; the names listed there are targets of the template whose pools are uncounted.
// Templates read from FIS (`templateId`) are judged at preflight, which refuses the same way.
import { fisResourceType } from '../../fis/resource-types.js';
import { POOL_READS, type TargetDefinition, uncountedReason } from '../../targets/pools.js';
import { asList, asMap, asString, at, entriesAt, known, providerOf, type Rule, type RuleIssue } from './rule.js';

const UNCOUNTED = ['guardrails', 'blastRadius', 'uncounted'];

/** The target as its pool read sees it, or undefined when it is not shaped like a target (the schema says so). */
function definition(spec: unknown): TargetDefinition | undefined {
  const map = asMap(spec);
  const resourceType = asString(map?.resourceType);
  if (!map || resourceType === undefined || !POOL_READS[resourceType]) return undefined;
  const filters = asList(map.filters)?.map((f) => ({
    path: asString(asMap(f)?.path) ?? '',
    values: (asList(asMap(f)?.values) ?? []).map(String),
  }));
  return {
    resourceType,
    resourceArns: asList(map.resourceArns)?.map(String),
    resourceTags: asMap(map.resourceTags) as Record<string, string> | undefined,
    filters,
    parameters: acceptedParameters(resourceType, asMap(map.parameters)),
  };
}

/**
 * The target parameters FIS accepts for the type: an unknown or refused one is the fis-table rule's issue (with its
 * fix), and counting the pool is judged on the parameters that would deploy.
 */
function acceptedParameters(
  resourceType: string,
  parameters: Record<string, unknown> | undefined,
): Record<string, string> | undefined {
  if (parameters === undefined) return undefined;
  const accepted = fisResourceType(resourceType)?.parameters ?? {};
  const kept = Object.entries(parameters).filter(([name, value]) => name in accepted && typeof value === 'string');
  return kept.length > 0 ? (Object.fromEntries(kept) as Record<string, string>) : undefined;
}

export const blastRadiusUncounted: Rule = {
  name: 'blast-radius-uncounted',
  check(raw) {
    if (providerOf(raw) === 'local') return [];
    const listed = (asList(at(raw, ...UNCOUNTED)) ?? []).map(asString);
    const targets = entriesAt(raw, 'fault', 'template', 'targets');
    const issues: RuleIssue[] = [];
    const uncounted = new Set<string>();
    for (const [name, spec] of targets) {
      const target = definition(spec);
      const reason = target ? uncountedReason(target) : undefined;
      if (reason === undefined) continue;
      uncounted.add(name);
      if (!listed.includes(name)) {
        issues.push({
          path: ['fault', 'template', 'targets', name],
          message: `the blast radius cannot count this target's pool: ${reason}; list "${name}" in guardrails.blastRadius.uncounted to run it uncounted`,
        });
      }
    }
    // Names can be checked only against a template in the file (a templateId's targets are read at preflight).
    if (at(raw, 'fault', 'template') === undefined) return issues;
    const names = targets.map(([name]) => name);
    listed.forEach((name, i) => {
      if (name === undefined) return;
      if (!names.includes(name)) {
        issues.push({
          path: [...UNCOUNTED, i],
          message: `"${name}" is not a target of fault.template (${known(names)})`,
        });
      } else if (!uncounted.has(name)) {
        issues.push({
          path: [...UNCOUNTED, i],
          message: `the pool of "${name}" is counted, so it cannot be left uncounted; remove it from guardrails.blastRadius.uncounted`,
        });
      }
    });
    return issues;
  },
};
