// fault.maxDuration leaves room for the whole fault: at least `observe` (default 5 × period) and at least the
// longest chain along startAfter of the parameters that keep each action running (the FIS action table's
// lengthensFault: duration, startInstancesAfterDuration, durationBeforeInterruption, maxDuration…; `duration` for
// the sandbox's faults), or the workflow would stop a fault that runs as written.
import { secondsToIso } from '../../duration.js';
import { fisAction } from '../../fis/actions.js';
import { asList, asString, at, entriesAt, providerOf, type Rule, secondsOf } from './rule.js';

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

/** The parameters of an action that are durations: from the FIS action table, or `duration` for sandbox faults. */
export function durationParameters(raw: unknown, action: unknown): string[] {
  const id = asString(at(action, 'actionId'));
  if (providerOf(raw) === 'local' || id === undefined || id.startsWith('local:')) return ['duration'];
  const spec = fisAction(id);
  if (spec === undefined) return [];
  return Object.entries(spec.parameters)
    .filter(([, p]) => p.type === 'duration')
    .map(([name]) => name);
}

/** How long an action keeps running by its own parameters: the longest of those that lengthen the fault. */
export function actionSeconds(raw: unknown, action: unknown): number {
  const id = asString(at(action, 'actionId'));
  const lengthening =
    providerOf(raw) === 'local' || id === undefined || id.startsWith('local:')
      ? ['duration']
      : Object.entries(fisAction(id)?.parameters ?? {})
          .filter(([, p]) => p.lengthensFault)
          .map(([name]) => name);
  return Math.max(0, ...lengthening.map((name) => secondsOf(at(action, 'parameters', name)) ?? 0));
}

/** The longest sum of action lengths (actionSeconds) along startAfter; undefined when none has one or on a cycle. */
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
    const own = actionSeconds(raw, spec);
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
