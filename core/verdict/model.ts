// The verdict's inputs and findings. Each rule turns part of a run into findings; the decision
// keeps the most severe (DESIGN §3: ERROR > FAILED > DEGRADED > INCONCLUSIVE > PASSED; SKIPPED when nothing was injected).
import type { Verdict } from '../experiment/schema.js';
import type { HostMeasurement, StopCause } from '../ports.js';
import type { Check } from '../result/model.js';
import type { ProbeCheck } from '../steady-state/checks.js';

/** How the FIS experiment (or local fault) ended, and what shaketable knows about why. */
export interface FaultEnd {
  /** FIS status: completed | stopped | cancelled | failed (anything else is unexpected) */
  status: string;
  reason?: string;
  /** the cause shaketable wrote to the run table before its own StopExperiment */
  stopCause?: StopCause;
  /** a stop-condition alarm went to ALARM during the fault phase */
  stopConditionAlarmsFired: boolean;
  /** names of those alarms, for the reason line */
  firedAlarms?: string[];
  /** at least one target resolved (FIS `failed` without targets means nothing was injected) */
  targetsResolved: boolean;
}

export interface VerdictInput {
  /** dryRun: preflight and baseline ran, nothing was injected */
  dryRun?: boolean;
  /** every preflight guardrail check (InjectFault's re-check included) */
  preflight?: readonly Check[];
  /** the baseline evaluation, when the baseline was measured */
  baseline?: { held: boolean; reasons: readonly string[] };
  /** how the fault ended; absent when no fault was started */
  fault?: FaultEnd;
  /** the hypothesis checks, when the fault phase was observed */
  hypothesis?: { checks: readonly ProbeCheck[] };
  /** an orchestrator error (step and message), e.g. from the workflow's Catch */
  error?: string;
  /**
   * how starved the measuring machine was in each measured phase (the local sandbox only; absent on AWS); `preflight`
   * is the baseline-long window before the run started, whose data the guardrail alarms read
   */
  host?: { phases: Partial<Record<HostPhaseName, HostMeasurement>> };
  /** expect.detect of a run that injected: did a listed alarm go to ALARM within `within` of the fault start? */
  detection?: { alarms: readonly string[]; within: string; detected: boolean };
}

export type HostPhaseName = 'preflight' | 'baseline' | 'fault' | 'recovery';

export interface Finding {
  verdict: Exclude<Verdict, 'PASSED'>;
  reason: string;
  /**
   * The run's measurements themselves are void (the host measuring them was starved): a FAILED from a stop-condition
   * alarm or a DEGRADED from a bound was read from that same data, so neither may stand beside this finding.
   */
  voidsMeasurements?: boolean;
  /** read from measurements (beyond FAILED and DEGRADED, which always are): void when the measurements are */
  measured?: boolean;
}

export interface VerdictDecision {
  verdict: Verdict;
  reasons: string[];
}

export type VerdictRule = (input: VerdictInput) => Finding[];
