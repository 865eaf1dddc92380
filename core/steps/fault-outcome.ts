// How a fault ended, as the InjectFault task is completed with it (by FaultEnded, InjectFault's re-read,
// Reconcile or StopFault) and as Evaluate reads it.
import type { FaultState, RunRecord, StopCause } from '../ports.js';

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
  /** seconds the workflow's Wait lasts from now: to the end of the fault phase, then recovery + ingestionDelay */
  waitSeconds: number;
}

/** What the completer of the token needs to know of the plan to time the Wait (kept in the run record). */
export interface PhaseTiming {
  observeSeconds: number;
  recoveryWaitSeconds: number;
}

/**
 * The fault phase lasts at least `observe` from the start even when FIS ends sooner (a stop condition, an action
 * that completes in seconds): the Wait covers the rest of it, then recovery and ingestion.
 */
export function waitSecondsAfter(state: FaultState, timing: PhaseTiming | undefined, now: number): number {
  if (!timing) return 0;
  const start = state.startTime ?? now;
  const faultPhaseEnd = Math.max(state.endTime ?? now, start + timing.observeSeconds * 1000);
  return Math.ceil(Math.max(0, faultPhaseEnd - now) / 1000 + timing.recoveryWaitSeconds);
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
  };
}

/** The phase timing InjectFault stored in the run record (absent for a run that never reached it). */
export function timingOf(run: RunRecord): PhaseTiming | undefined {
  if (run.observeSeconds === undefined || run.recoveryWaitSeconds === undefined) return undefined;
  return { observeSeconds: run.observeSeconds, recoveryWaitSeconds: run.recoveryWaitSeconds };
}
