// A ramp's result.json (DESIGN §9 Ramp): `steps[]` holds the steps reached (whose fault started; a failing step
// always), in order; the run's top-level fis,
// phases, probes and hypothesisChecks are the last step's (the one that decided the verdict), so every reader of a
// single run keeps working. The verdict is the first step that did not pass; PASSED only when every step passed.
import type { RampStep, Result, RunEvent } from '../result/model.js';
import type { Plan } from '../steps/plan.js';
import { nextStepPlan, type RampPlan, stepLabel } from './ramp.js';

/** A reason that already names its step (the blast radius of each step still to run) keeps its own. */
const STEP_NAMED = /\bstep \d+ of \d+ \(/;

/** The run after one step was evaluated: the result so far, and the next step's plan when the ramp goes on. */
export interface RampFold {
  result: Result;
  /** present only when this step PASSED and a step is left */
  next?: Plan;
}

/**
 * Folds a step's own result (decided as a single run would be) into the ramp's: `previous` is the result the
 * steps before it built (absent at the first step).
 */
export function foldRampStep(plan: Plan & { ramp: RampPlan }, previous: Result | undefined, step: Result): RampFold {
  const ramp = plan.ramp;
  // A step is reached when its fault was started: one refused before injecting (a guardrail, its baseline) has no
  // record, and the run's reasons say why it stopped before it.
  const reached = step.fis.experimentId !== undefined;
  const steps = [...stepsBefore(ramp, previous), ...(reached ? [rampStepOf(ramp, step)] : [])];
  const next = step.verdict === 'PASSED' ? nextStepPlan(plan) : undefined;
  const label = stepLabel(ramp, ramp.index);
  const named = (r: string) => (STEP_NAMED.test(r) ? r : `${label}: ${r}`);
  const passed = steps.filter((s) => s.verdict === 'PASSED');
  const reasons =
    step.verdict === 'PASSED'
      ? [
          ...(next
            ? []
            : [`ramp: all ${steps.length} steps passed (${ramp.steps.map((s) => s.selectionMode).join(', ')})`]),
          ...step.reasons.map(named),
        ]
      : [...step.reasons.map(named), ...passedBefore(ramp, passed)];
  return {
    result: {
      ...step,
      reasons,
      ramp: { target: ramp.target, steps: ramp.steps.map((s) => s.selectionMode) },
      steps,
      events: mergeEvents(previous, step, ramp.index + 1, next !== undefined),
    },
    ...(next ? { next } : {}),
  };
}

/** The ERROR result of a ramp whose step failed (PublishError): the steps before it, and this one as ERROR. */
export function rampErrorResult(plan: Plan & { ramp: RampPlan }, previous: Result | undefined, error: Result): Result {
  const ramp = plan.ramp;
  const steps = [...stepsBefore(ramp, previous), rampStepOf(ramp, error)];
  const label = stepLabel(ramp, ramp.index);
  return {
    ...error,
    reasons: [
      ...error.reasons.map((r) => `${label}: ${r}`),
      ...passedBefore(
        ramp,
        steps.filter((s) => s.verdict === 'PASSED'),
      ),
    ],
    ramp: { target: ramp.target, steps: ramp.steps.map((s) => s.selectionMode) },
    steps,
    events: mergeEvents(previous, error, ramp.index + 1, false),
  };
}

/** The steps before the current one (a failing Publish hands over a result that already holds the current step). */
function stepsBefore(ramp: RampPlan, previous: Result | undefined): RampStep[] {
  return (previous?.steps ?? []).filter((s) => s.index <= ramp.index);
}

function rampStepOf(ramp: RampPlan, step: Result): RampStep {
  return {
    index: ramp.index + 1,
    selectionMode: ramp.steps[ramp.index]?.selectionMode ?? '',
    verdict: step.verdict,
    reasons: step.reasons,
    fis: step.fis,
    phases: step.phases,
    probes: step.probes,
    ...(step.hypothesisChecks ? { hypothesisChecks: step.hypothesisChecks } : {}),
  };
}

function passedBefore(ramp: RampPlan, passed: readonly RampStep[]): string[] {
  if (passed.length === 0) return [];
  const names = passed.map((s) => stepLabel(ramp, s.index - 1)).join(', ');
  return [`ramp: stopped at step ${ramp.index + 1} of ${ramp.steps.length}; passed before it: ${names}`];
}

/**
 * One timeline for the run: the steps' events in order, each named by its step; a step that leads to the next ends
 * with its own `step-verdict`, and only the run's end carries `verdict`.
 */
function mergeEvents(previous: Result | undefined, step: Result, number: number, goesOn: boolean): RunEvent[] {
  const own = step.events
    .filter((e) => e.type !== 'started' || previous === undefined)
    .map((e) => {
      if (e.type === 'started') return e;
      if (e.type === 'verdict' && goesOn)
        return { ...e, type: 'step-verdict', message: `step ${number}: ${e.message}` };
      if (e.type === 'verdict' || e.type === 'error') return e;
      return { ...e, message: `step ${number}: ${e.message}` };
    });
  return [...(previous?.events ?? []), ...own].sort((a, b) => a.at.localeCompare(b.at));
}
