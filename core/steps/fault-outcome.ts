// How a fault ended, as the InjectFault task is completed with it (by FaultEnded, InjectFault's re-read,
// Reconcile or StopFault) and as Evaluate reads it.
import type { FaultState, StopCause } from '../ports.js';

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
}

export function outcomeOf(state: FaultState, ended: boolean, stopCause?: StopCause): FaultOutcome {
  return {
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
