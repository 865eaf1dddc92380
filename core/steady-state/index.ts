// Steady state and hypothesis evaluation: the public surface the workflow steps call.

export { type BaselineEvaluation, evaluateBaseline } from './baseline.js';
export { boundChecks, coverageCheck, isWithin } from './bounds.js';
export { allDecidedAndHeld, type ProbeCheck, type ProbeCheckKind } from './checks.js';
export { type Comparison, compareCheck, worseDirections } from './compare.js';
export type { Evaluation, ProbeEvaluation } from './evaluation.js';
export { evaluateHypothesis, type HypothesisEvaluation, type SeriesByPhase } from './hypothesis.js';
export { applyMissing, defaultMissing, type FilledSeries, MIN_COVERAGE } from './missing.js';
export {
  baselineWindow,
  DEFAULT_INGESTION_DELAY_SECONDS,
  type PhaseInput,
  type Phases,
  phaseDurations,
  phases,
  toResultPhases,
} from './phases.js';
export { type RecoveryTime, recoveryChecks, recoveryTime } from './recovery.js';
export { ProbeCycleError, resolveProbes } from './resolve.js';
export { toResultProbes } from './result.js';
export { type PhaseStats, phaseStats } from './stats.js';
