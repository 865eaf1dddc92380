// What an evaluation yields per probe, shared by the baseline, the hypothesis and result.json.
import type { Bound, MissingPolicy } from '../experiment/schema.js';
import type { PhaseName } from '../result/model.js';
import type { ProbeCheck } from './checks.js';
import type { Comparison } from './compare.js';
import type { FilledSeries } from './missing.js';
import type { RecoveryTime } from './recovery.js';

export interface ProbeEvaluation {
  missing: MissingPolicy;
  tolerance?: Bound;
  /** the bound over the fault phase: expect.during, else the tolerance */
  during?: Bound;
  phases: Partial<Record<PhaseName, FilledSeries>>;
  recovery?: RecoveryTime & { limitSeconds?: number };
  comparison?: Comparison;
}

export interface Evaluation {
  checks: ProbeCheck[];
  probes: Record<string, ProbeEvaluation>;
}
