// In the sandbox there is no CloudWatch: stop conditions, guardrail alarms and detection alarms name alarms of
// local.alarms.
import { asList, asString, at, entriesAt, known, providerOf, type Rule, type RuleIssue } from './rule.js';

export const localAlarmNames: Rule = {
  name: 'local-alarm-names',
  check(raw) {
    if (providerOf(raw) !== 'local' || at(raw, 'local') === undefined) return [];
    const alarms = new Set(entriesAt(raw, 'local', 'alarms').map(([name]) => name));
    const issues: RuleIssue[] = [];
    const lists: string[][] = [
      ['fault', 'template', 'stopConditions'],
      ['guardrails', 'alarms'],
      ['expect', 'detect', 'alarms'],
    ];
    for (const path of lists) {
      (asList(at(raw, ...path)) ?? []).forEach((entry, i) => {
        const name = asString(entry);
        if (name !== undefined && !alarms.has(name)) {
          issues.push({
            path: [...path, i],
            message: `unknown local alarm "${name}"; declare it under local.alarms (${known(alarms)})`,
          });
        }
      });
    }
    return issues;
  },
};
