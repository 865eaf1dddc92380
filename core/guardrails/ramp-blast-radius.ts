// Guardrail: a ramp's blast radius, step by step (DESIGN §9 Ramp). Each step not yet run is counted against the pool
// as it is now, with the ramp target's selection mode replaced by the step's: before the first injection every step
// is checked (a step over the cap refuses the whole run), and before each later step the ones left.
import type { Check } from '../result/model.js';
import type { TargetGroupPool } from '../targets/pools.js';
import { type BlastRadius, type BlastRadiusOptions, blastRadiusCheck } from './blast-radius.js';

export interface RampSelection {
  /** the template target whose selectionMode each step replaces */
  target: string;
  /** every step's selection mode, in order */
  steps: readonly string[];
  /** 0-based index of the first step still to run */
  from: number;
}

/** One `blastRadius` check per step still to run, each naming its step. */
export function rampBlastRadiusChecks(
  pools: readonly TargetGroupPool[],
  ramp: RampSelection,
  blastRadius: BlastRadius | undefined,
  options: BlastRadiusOptions = {},
): Check[] {
  return ramp.steps.slice(ramp.from).map((mode, offset) => {
    const index = ramp.from + offset;
    const check = blastRadiusCheck(withStepSelection(pools, ramp.target, mode), blastRadius, options);
    const label = `step ${index + 1} of ${ramp.steps.length} (${mode})`;
    return { ...check, message: check.message.replace(/^blastRadius: /, `blastRadius: ${label}: `) };
  });
}

function withStepSelection(
  pools: readonly TargetGroupPool[],
  target: string,
  selectionMode: string,
): TargetGroupPool[] {
  return pools.map((p) => ({
    ...p,
    targets: p.targets.map((t) => (t.target === target ? { ...t, selectionMode } : t)),
  }));
}
