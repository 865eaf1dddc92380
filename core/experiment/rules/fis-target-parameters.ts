// A target's resource type is one FIS has, and its `parameters` are the ones FIS accepts for that type (EKS pods:
// clusterIdentifier, namespace, selectorType, selectorValue…), the required ones present.
import { FIS_RESOURCE_TYPES } from '../../fis/resource-types.js';
import { closest } from '../suggest.js';
import { awsTargets, oneOf } from './fis-table.js';
import { at, entriesAt, type Rule, type RuleIssue } from './rule.js';

export const fisTargetParameters: Rule = {
  name: 'fis-target-parameters',
  check(raw) {
    const issues: RuleIssue[] = [];
    for (const target of awsTargets(raw).values()) {
      const type = target.resourceType;
      if (type === undefined || type.startsWith('local:')) continue;
      if (target.spec === undefined) {
        const close = closest(type, Object.keys(FIS_RESOURCE_TYPES));
        issues.push({
          path: [...target.path, 'resourceType'],
          message: close
            ? `unknown FIS resource type "${type}" (did you mean ${close}?)`
            : `unknown FIS resource type "${type}"; \`shaketable actions\` lists the types each action targets`,
        });
        continue;
      }
      const accepted = target.spec.parameters;
      const names = Object.keys(accepted);
      const given = entriesAt(target.raw, 'parameters');
      for (const [name] of given) {
        if (Object.hasOwn(accepted, name)) continue;
        const close = closest(name, names);
        issues.push({
          path: [...target.path, 'parameters', name],
          message:
            names.length === 0
              ? `FIS accepts no target parameters for ${type}; select with resourceArns, resourceTags or filters`
              : close
                ? `unknown target parameter "${name}" for ${type} (did you mean ${close}?)`
                : `unknown target parameter "${name}" for ${type}; it accepts ${oneOf(names)}`,
        });
      }
      const present = new Set(given.map(([name]) => name));
      for (const [name, spec] of Object.entries(accepted)) {
        if (!spec.required || present.has(name)) continue;
        issues.push({
          path: [...target.path, 'parameters', name],
          at:
            at(target.raw, 'parameters') !== undefined
              ? [...target.path, 'parameters']
              : [...target.path, 'resourceType'],
          message: `a target of type ${type} needs parameter ${name} (${spec.description})`,
        });
      }
    }
    return issues;
  },
};
