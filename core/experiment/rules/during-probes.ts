// expect.during bounds name declared probes.
import { entriesAt, known, probeNames, type Rule } from './rule.js';

export const duringProbes: Rule = {
  name: 'during-probes',
  check(raw) {
    const probes = probeNames(raw);
    return entriesAt(raw, 'expect', 'during')
      .filter(([name]) => !probes.has(name))
      .map(([name]) => ({
        path: ['expect', 'during', name],
        message: `unknown probe "${name}" (${known(probes)})`,
      }));
  },
};
