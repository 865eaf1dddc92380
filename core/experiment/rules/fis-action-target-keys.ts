// An action's `targets` use exactly the target keys its FIS action has (Instances, Pods, ReplicationGroups…), each
// naming a target whose resource type that key accepts; an action without target keys takes no targets.
import { closest } from '../suggest.js';
import { awsActions, awsTargets, oneOf } from './fis-table.js';
import { asString, entriesAt, type Rule, type RuleIssue } from './rule.js';

export const fisActionTargetKeys: Rule = {
  name: 'fis-action-target-keys',
  check(raw) {
    const issues: RuleIssue[] = [];
    const targets = awsTargets(raw);
    for (const action of awsActions(raw)) {
      if (action.spec === undefined) continue;
      const keys = action.spec.targets;
      const allowed = Object.keys(keys);
      const given = entriesAt(action.raw, 'targets');
      let misspelt = false;
      for (const [key, value] of given) {
        const path = [...action.path, 'targets', key];
        const spec = Object.hasOwn(keys, key) ? keys[key] : undefined;
        if (spec === undefined) {
          misspelt = true;
          const close = closest(key, allowed);
          issues.push({
            path,
            message:
              allowed.length === 0
                ? `${action.id} takes no targets; remove "${key}"`
                : close
                  ? `${action.id} has no target key "${key}" (did you mean ${close}?)`
                  : `${action.id} has no target key "${key}"; its target key is ${oneOf(allowed)}`,
          });
          continue;
        }
        const target = targets.get(asString(value) ?? '');
        const type = target?.resourceType;
        if (type !== undefined && !spec.resourceTypes.includes(type)) {
          issues.push({
            path,
            message: `${action.id} acts on ${oneOf(spec.resourceTypes)} targets, but target "${target?.name}" is ${type}; point ${key} at a target of that type`,
          });
        }
      }
      // A misspelt key already says what to write; a second issue for the key it meant would only repeat it.
      if (misspelt) continue;
      const givenKeys = new Set(given.map(([key]) => key));
      for (const [key, spec] of Object.entries(keys)) {
        if (!spec.required || givenKeys.has(key)) continue;
        issues.push({
          path: [...action.path, 'targets'],
          at: given.length > 0 ? [...action.path, 'targets'] : [...action.path, 'actionId'],
          message: `${action.id} needs a target: add targets: { ${key}: <a target of type ${oneOf(spec.resourceTypes)}> }`,
        });
      }
    }
    return issues;
  },
};
