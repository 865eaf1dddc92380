// How far a ramp got (DESIGN §9 "Ramp"), read from a result: the steps reached and the one that stopped it. The
// report, the Markdown summary, the SNS message and the scorecard all say it with these, in the same words.
import type { Verdict } from '../experiment/schema.js';
import type { RampStep, Result } from './model.js';

export interface RampProgress {
  /** steps whose fault was injected */
  reached: number;
  /** steps the experiment's ramp has */
  total: number;
  /**
   * The step that did not pass, when one did not (1-based `index`). `ran` is false when the run stopped before that
   * step injected anything (a guardrail refused it, its baseline was not steady), as when a step over blastRadius
   * refuses the whole run at preflight.
   */
  stoppedAt?: { index: number; selectionMode: string; verdict: Verdict; ran: boolean };
}

/** The ramp progress of a result, undefined when the run is not a ramp. */
export function rampProgress(result: Pick<Result, 'ramp' | 'steps' | 'verdict'>): RampProgress | undefined {
  if (result.ramp === undefined && (result.steps ?? []).length === 0) return undefined;
  const steps = result.steps ?? [];
  const total = Math.max(result.ramp?.steps.length ?? 0, steps.length);
  const reached = steps.filter(injected).length;
  const last = steps.at(-1);
  if (last !== undefined && last.verdict !== 'PASSED') {
    const { index, selectionMode, verdict } = last;
    return { reached, total, stoppedAt: { index, selectionMode, verdict, ran: injected(last) } };
  }
  if (result.verdict === 'PASSED') return { reached, total };
  // Every step recorded passed, yet the run did not: it stopped before the next step.
  const index = (last?.index ?? 0) + 1;
  const selectionMode = result.ramp?.steps[index - 1] ?? '?';
  return { reached, total, stoppedAt: { index, selectionMode, verdict: result.verdict, ran: false } };
}

/** Whether a step's fault was started (the engine records a step that failed before injecting too). */
function injected(step: Pick<RampStep, 'fis'>): boolean {
  return step.fis.experimentId !== undefined;
}

/** `reached 2/3 (DEGRADED at PERCENT(25))`, `reached 3/3 (PASSED)`, `reached 0/3 (SKIPPED before COUNT(1))`. */
export function formatRampProgress(progress: RampProgress): string {
  const { reached, total, stoppedAt } = progress;
  if (stoppedAt === undefined) return `reached ${reached}/${total} (PASSED)`;
  return `reached ${reached}/${total} (${stoppedAt.verdict} ${stoppedAt.ran ? 'at' : 'before'} ${stoppedAt.selectionMode})`;
}

/** How many resources a step's fault hit: FIS's resolved-target count when the list was capped, else the list. */
export function stepTargetsHit(step: Pick<RampStep, 'fis'>): number {
  return step.fis.targetsTotal ?? step.fis.targets.length;
}

/**
 * One line per step reached: `step 2/3 PERCENT(25): DEGRADED, 1 target hit`. The reasons stay in the run's reasons
 * (a step that did not pass is the last one, and the run's reasons are its own), so the line does not repeat them.
 */
export function formatStepLine(step: RampStep, total: number): string {
  const hit = stepTargetsHit(step);
  const what = step.fis.experimentId === undefined ? 'nothing injected' : `${hit} target${hit === 1 ? '' : 's'} hit`;
  return `step ${step.index}/${total} ${step.selectionMode}: ${step.verdict}, ${what}`;
}

/** What people are told about a ramp (Markdown summary, SNS body): how far it got, then one line per step reached. */
export interface RampSummary {
  progress: string;
  steps: string[];
}

/** The ramp summary of a result, undefined when the run is not a ramp. */
export function rampSummary(result: Pick<Result, 'ramp' | 'steps' | 'verdict'>): RampSummary | undefined {
  const progress = rampProgress(result);
  if (!progress) return undefined;
  return {
    progress: formatRampProgress(progress),
    steps: (result.steps ?? []).map((step) => formatStepLine(step, progress.total)),
  };
}
