// How a fault ended, as the InjectFault task is completed with it (by FaultEnded, InjectFault's re-read,
// Reconcile or StopFault) and as Evaluate reads it.
import type { FaultState, RunRecord, StopCause } from '../ports.js';
import { phases } from '../steady-state/phases.js';

export interface FaultOutcome {
  ended: boolean;
  experimentId?: string;
  status: string;
  reason?: string;
  startTime?: string;
  endTime?: string;
  stopCause?: StopCause;
  /** resources the fault resolved (FIS `failed` with none means nothing was injected) */
  targets?: string[];
  /** whether any fault action got past pending (see FaultState.actionsStarted) */
  actionsStarted?: boolean;
  /** seconds the workflow's Wait lasts from now: to the end of the fault phase, then recovery + ingestionDelay */
  waitSeconds: number;
}

/** What the completer of the token needs to know of the plan to time the Wait (kept in the run record). */
export interface PhaseTiming {
  observeSeconds: number;
  recoverySeconds: number;
  ingestionDelaySeconds: number;
  periodSeconds: number;
}

export function timingOfPlan(plan: PhaseTiming): PhaseTiming {
  const { observeSeconds, recoverySeconds, ingestionDelaySeconds, periodSeconds } = plan;
  return { observeSeconds, recoverySeconds, ingestionDelaySeconds, periodSeconds };
}

/**
 * Seconds from `now` until the recovery phase's data is complete: the fault phase lasts at least `observe` from
 * the start even when FIS ends sooner (a stop condition, an action that completes in seconds), then recovery and
 * ingestion follow, on the period grid — the same phases Observe will read.
 */
export function waitSecondsAfter(state: FaultState, timing: PhaseTiming | undefined, now: number): number {
  if (!timing) return 0;
  const p = phases({
    faultStart: state.startTime ?? now,
    fisEnd: state.endTime ?? now,
    observeSeconds: timing.observeSeconds,
    recoverySeconds: timing.recoverySeconds,
    baselineSeconds: 0,
    ingestionDelay: timing.ingestionDelaySeconds,
    periodSeconds: timing.periodSeconds,
  });
  return Math.ceil(Math.max(0, p.dataCompleteAt - now) / 1000);
}

export function outcomeOf(
  state: FaultState,
  ended: boolean,
  stopCause: StopCause | undefined,
  timing: PhaseTiming | undefined,
  now: number,
): FaultOutcome {
  return {
    waitSeconds: waitSecondsAfter(state, timing, now),
    ended,
    experimentId: state.experimentId,
    status: state.status,
    ...(state.reason ? { reason: state.reason } : {}),
    ...(state.startTime !== undefined ? { startTime: new Date(state.startTime).toISOString() } : {}),
    ...(state.endTime !== undefined ? { endTime: new Date(state.endTime).toISOString() } : {}),
    ...(stopCause ? { stopCause } : {}),
    ...(state.targets ? { targets: state.targets } : {}),
    ...(state.actionsStarted !== undefined ? { actionsStarted: state.actionsStarted } : {}),
  };
}

/** The phase timing InjectFault stored in the run record (absent for a run that never reached it). */
export function timingOf(run: RunRecord): PhaseTiming | undefined {
  return run.timing;
}
