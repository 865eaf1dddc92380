// Sandbox experiments use only the local fault injector's vocabulary (DESIGN §8), and AWS experiments none of it.
import { LOCAL_ACTION_IDS, LOCAL_RESOURCE_TYPE, LOCAL_TARGET_KEY } from '../schema.js';
import { asString, at, entriesAt, providerOf, type Rule, type RuleIssue } from './rule.js';

const LOCAL_IDS: readonly string[] = LOCAL_ACTION_IDS;

export const localFaults: Rule = {
  name: 'local-faults',
  check(raw) {
    const local = providerOf(raw) === 'local';
    const issues: RuleIssue[] = [];
    if (local && at(raw, 'fault', 'templateId') !== undefined) {
      issues.push({
        path: ['fault', 'templateId'],
        message: 'a local experiment needs a template; templateId is an AWS FIS template',
      });
    }
    for (const [target, spec] of entriesAt(raw, 'fault', 'template', 'targets')) {
      const type = asString(at(spec, 'resourceType'));
      if (type === undefined) continue;
      const path = ['fault', 'template', 'targets', target, 'resourceType'];
      if (local && type !== LOCAL_RESOURCE_TYPE) {
        issues.push({
          path,
          message: `"${type}" is not a sandbox resource type; local experiments target ${LOCAL_RESOURCE_TYPE}`,
        });
      } else if (!local && type.startsWith('local:')) {
        issues.push({
          path,
          message: `"${type}" only exists in the sandbox; add provider: local or use an AWS resource type`,
        });
      }
    }
    for (const [action, spec] of entriesAt(raw, 'fault', 'template', 'actions')) {
      const id = asString(at(spec, 'actionId'));
      const path = ['fault', 'template', 'actions', action];
      if (id !== undefined && local && !LOCAL_IDS.includes(id)) {
        issues.push({
          path: [...path, 'actionId'],
          message: `"${id}" is not a sandbox fault; use one of ${LOCAL_IDS.join(', ')}`,
        });
      } else if (id !== undefined && !local && id.startsWith('local:')) {
        issues.push({
          path: [...path, 'actionId'],
          message: `"${id}" only exists in the sandbox; add provider: local or use a FIS action id`,
        });
      }
      if (!local) continue;
      for (const [key] of entriesAt(spec, 'targets')) {
        if (key !== LOCAL_TARGET_KEY) {
          issues.push({
            path: [...path, 'targets', key],
            message: `sandbox faults take their targets as ${LOCAL_TARGET_KEY}, not "${key}"`,
          });
        }
      }
    }
    return issues;
  },
};
