// The hypothesis and baseline checks: a result.json Check that also says which probe, phase and
// kind it is about, and whether the data allowed it to be decided at all.
import type { Check, PhaseName } from '../result/model.js';

export type ProbeCheckKind = 'baseline' | 'during' | 'recovery' | 'compare' | 'coverage';

export interface ProbeCheck extends Check {
  probe: string;
  phase: PhaseName;
  kind: ProbeCheckKind;
  /** false when missing data kept the check from being decided (ok is then false too) */
  decided: boolean;
}

/** True when every check was decided and held. An empty list holds nothing. */
export function allDecidedAndHeld(checks: readonly ProbeCheck[]): boolean {
  return checks.length > 0 && checks.every((c) => c.decided && c.ok);
}
