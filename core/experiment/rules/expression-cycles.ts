// Metric-math probes do not refer to themselves, directly or through other expressions (CloudWatch rejects it).
import { referencedProbeIds } from './expression-ids.js';
import { asMap, asString, entriesAt, type Rule } from './rule.js';

export const expressionCycles: Rule = {
  name: 'expression-cycles',
  check(raw) {
    const edges = new Map<string, string[]>();
    for (const [name, probe] of entriesAt(raw, 'steadyState', 'probes')) {
      const expression = asString(asMap(probe)?.['expression']);
      edges.set(name, expression === undefined ? [] : referencedProbeIds(expression));
    }
    return findCycles(edges).map((cycle) => ({
      path: ['steadyState', 'probes', cycle[0]!, 'expression'],
      message: `expression references form a cycle: ${cycle.join(' → ')}`,
    }));
  },
};

/** Each cycle once, as the list of nodes from its first node (in declaration order) back to it. */
export function findCycles(edges: ReadonlyMap<string, readonly string[]>): string[][] {
  const cycles: string[][] = [];
  const done = new Set<string>();
  const onStack: string[] = [];
  const visit = (node: string): void => {
    onStack.push(node);
    for (const next of edges.get(node) ?? []) {
      const index = onStack.indexOf(next);
      if (index >= 0) cycles.push([...onStack.slice(index), next]);
      else if (!done.has(next) && edges.has(next)) visit(next);
    }
    onStack.pop();
    done.add(node);
  };
  for (const node of edges.keys()) if (!done.has(node)) visit(node);
  return cycles;
}
