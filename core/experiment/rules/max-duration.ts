// fault.maxDuration leaves room for the whole fault: at least `observe` (default 5 × period) and at least the
// longest chain of action `duration`s along startAfter, or the workflow would stop a fault that runs as written.
import { secondsToIso } from '../../duration.js';
import { asList, asString, at, entriesAt, type Rule, secondsOf } from './rule.js';

export const maxDuration: Rule = {
  name: 'max-duration',
  check(raw) {
    const max = secondsOf(at(raw, 'fault', 'maxDuration'));
    if (max === undefined) return [];
    const issues = [];
    const observe = observeSeconds(raw);
    if (observe !== undefined && max < observe.seconds) {
      issues.push({
        path: ['fault', 'maxDuration'],
        message: `maxDuration ${secondsToIso(max)} is shorter than ${observe.label} ${secondsToIso(observe.seconds)}; raise it to at least that`,
      });
    }
    const chain = longestActionChain(raw);
    if (chain !== undefined && max < chain.seconds) {
      issues.push({
        path: ['fault', 'maxDuration'],
        message: `maxDuration ${secondsToIso(max)} is shorter than the action chain ${chain.actions.join(' → ')} (${secondsToIso(chain.seconds)}); raise it to at least that`,
      });
    }
    return issues;
  },
};

/** The fault phase's minimum length: `observe`, or 5 × the steady-state period when it is not given. */
export function observeSeconds(raw: unknown): { seconds: number; label: string } | undefined {
  const observe = at(raw, 'fault', 'observe');
  if (observe !== undefined) {
    const seconds = secondsOf(observe);
    return seconds === undefined ? undefined : { seconds, label: 'observe' };
  }
  const period = secondsOf(at(raw, 'steadyState', 'period'));
  return period === undefined ? undefined : { seconds: 5 * period, label: 'the default observe (5 × period)' };
}

/** The longest sum of `duration` parameters along startAfter; undefined when no action has one or on a cycle. */
export function longestActionChain(raw: unknown): { seconds: number; actions: string[] } | undefined {
  const actions = new Map(entriesAt(raw, 'fault', 'template', 'actions'));
  const memo = new Map<string, { seconds: number; actions: string[] } | null>();
  const visiting = new Set<string>();
  let cyclic = false;
  const chainEndingAt = (name: string): { seconds: number; actions: string[] } => {
    const cached = memo.get(name);
    if (cached) return cached;
    if (visiting.has(name)) {
      cyclic = true;
      return { seconds: 0, actions: [] };
    }
    visiting.add(name);
    const spec = actions.get(name);
    let before = { seconds: 0, actions: [] as string[] };
    for (const previous of asList(at(spec, 'startAfter')) ?? []) {
      const p = asString(previous);
      if (p === undefined || !actions.has(p)) continue;
      const chain = chainEndingAt(p);
      if (chain.seconds > before.seconds) before = chain;
    }
    visiting.delete(name);
    const own = secondsOf(at(spec, 'parameters', 'duration')) ?? 0;
    const result = { seconds: before.seconds + own, actions: [...before.actions, name] };
    memo.set(name, result);
    return result;
  };
  let longest: { seconds: number; actions: string[] } | undefined;
  for (const name of actions.keys()) {
    const chain = chainEndingAt(name);
    if (chain.seconds > 0 && (longest === undefined || chain.seconds > longest.seconds)) longest = chain;
  }
  return cyclic ? undefined : longest;
}
