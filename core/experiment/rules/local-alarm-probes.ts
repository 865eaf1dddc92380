// A local alarm watches a declared probe.
import { asMap, asString, entriesAt, known, probeNames, type Rule, type RuleIssue } from './rule.js';

export const localAlarmProbes: Rule = {
  name: 'local-alarm-probes',
  check(raw) {
    const probes = probeNames(raw);
    const issues: RuleIssue[] = [];
    for (const [alarm, spec] of entriesAt(raw, 'local', 'alarms')) {
      const probe = asString(asMap(spec)?.['probe']);
      if (probe !== undefined && !probes.has(probe)) {
        issues.push({
          path: ['local', 'alarms', alarm, 'probe'],
          message: `unknown probe "${probe}" (${known(probes)})`,
        });
      }
    }
    return issues;
  },
};
