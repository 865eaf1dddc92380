// A metric-math probe refers only to declared probes.
import { referencedProbeIds } from './expression-ids.js';
import { asMap, asString, entriesAt, known, probeNames, type Rule, type RuleIssue } from './rule.js';

export const expressionReferences: Rule = {
  name: 'expression-references',
  check(raw) {
    const probes = probeNames(raw);
    const issues: RuleIssue[] = [];
    for (const [name, probe] of entriesAt(raw, 'steadyState', 'probes')) {
      const expression = asString(asMap(probe)?.['expression']);
      if (expression === undefined) continue;
      for (const id of referencedProbeIds(expression)) {
        if (!probes.has(id)) {
          issues.push({
            path: ['steadyState', 'probes', name, 'expression'],
            message: `unknown probe "${id}" (${known(probes)})`,
          });
        }
      }
    }
    return issues;
  },
};
