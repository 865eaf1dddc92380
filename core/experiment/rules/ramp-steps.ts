// A ramp's steps are valid selection modes that grow (DESIGN §9): a COUNT step selects more than the COUNT step
// before it, a PERCENT step a larger share than the PERCENT step before it, and a step that selects every target
// (ALL, PERCENT(100)) can only be the last. A COUNT after a PERCENT (or the reverse) is allowed: which selects more
// depends on the pool, which only preflight sees (the blast-radius check runs for every step before the first
// injection).
import { SELECTION_MODE } from '../schema.js';
import { asList, asString, at, type Rule, type RuleIssue } from './rule.js';

type Step = { kind: 'ALL' } | { kind: 'COUNT' | 'PERCENT'; size: number };

function stepOf(mode: string): Step | undefined {
  const match = SELECTION_MODE.exec(mode);
  if (!match) return undefined;
  if (match[2] !== undefined) return { kind: 'COUNT', size: Number(match[2]) };
  if (match[3] !== undefined) return { kind: 'PERCENT', size: Number(match[3]) };
  return { kind: 'ALL' };
}

const selectsEverything = (step: Step) => step.kind === 'ALL' || (step.kind === 'PERCENT' && step.size === 100);

export const rampSteps: Rule = {
  name: 'ramp-steps',
  check(raw) {
    const steps = asList(at(raw, 'fault', 'ramp', 'steps'));
    if (steps === undefined) return [];
    const issues: RuleIssue[] = [];
    const last: Partial<Record<'COUNT' | 'PERCENT', { index: number; mode: string; size: number }>> = {};
    steps.forEach((value, index) => {
      const mode = asString(value);
      const step = mode === undefined ? undefined : stepOf(mode);
      if (mode === undefined || step === undefined) return; // the schema reports the shape
      const path = ['fault', 'ramp', 'steps', index];
      if (step.kind === 'COUNT' && step.size < 1) {
        issues.push({ path, message: `${mode} selects nothing; COUNT(n) needs n ≥ 1` });
        return;
      }
      if (step.kind === 'PERCENT' && !(step.size > 0 && step.size <= 100)) {
        issues.push({ path, message: `${mode} is outside (0, 100]; PERCENT(p) needs 0 < p ≤ 100` });
        return;
      }
      if (selectsEverything(step) && index < steps.length - 1) {
        issues.push({
          path,
          message: `${mode} selects every target, so no step can follow it; make it the last step or remove the steps after it`,
        });
      }
      if (step.kind === 'ALL') return;
      const before = last[step.kind];
      if (before !== undefined && step.size <= before.size) {
        issues.push({
          path,
          message: `${mode} does not grow: steps[${before.index}] is already ${before.mode}; each ${step.kind} step must select more than the one before`,
        });
      }
      last[step.kind] = { index, mode, size: step.size };
    });
    return issues;
  },
};
