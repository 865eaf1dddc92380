// guardrails.abortWhen entries name declared probes (each becomes an alarm on that probe's metric).
import { entriesAt, known, probeNames, type Rule } from './rule.js';

export const abortWhenProbes: Rule = {
  name: 'abort-when-probes',
  check(raw) {
    const probes = probeNames(raw);
    return entriesAt(raw, 'guardrails', 'abortWhen')
      .filter(([name]) => !probes.has(name))
      .map(([name]) => ({
        path: ['guardrails', 'abortWhen', name],
        message: `unknown probe "${name}" (${known(probes)})`,
      }));
  },
};
