// HoldForMitigation (ASL state, .waitForTaskToken; GameDay runs only): keeps Evaluate waiting for a responder's
// `mitigated` ack, at most until maxDuration after the fault started (the state's timeout goes on to Evaluate).
import { releaseHold } from '../run/acks.js';
import type { StepDeps } from './deps.js';
import type { FaultOutcome } from './fault-outcome.js';
import type { Plan } from './plan.js';

/**
 * How long a GameDay run may still hold Evaluate for a `mitigated` ack: what remains of maxDuration since the fault
 * started, in whole seconds (a Task's timeout is a positive integer). Undefined — no hold — for other runs, a fault
 * that never started, or when maxDuration is already over.
 */
export function holdSecondsOf(plan: Plan, fault: Pick<FaultOutcome, 'startTime'>, now: number): number | undefined {
  if (!plan.gameday || !fault.startTime) return undefined;
  const remaining = Math.floor((Date.parse(fault.startTime) + plan.maxDurationSeconds * 1000 - now) / 1000);
  return remaining >= 1 ? remaining : undefined;
}

export interface HoldForMitigationEvent {
  token: string;
  plan: Plan;
  timeoutSeconds: number;
}

export type HoldForMitigationDeps = Pick<StepDeps, 'ledger' | 'tokens'>;

/**
 * Stores the token on the run, where `shaketable ack <runId> mitigated` finds and completes it; then reads the run
 * back: an ack recorded before the token was stored is released here, since that ack found nothing to complete.
 */
export async function holdForMitigation(
  deps: HoldForMitigationDeps,
  event: HoldForMitigationEvent,
): Promise<{ holding: true; timeoutSeconds: number; released: boolean }> {
  const { runId } = event.plan;
  await deps.ledger.updateRun(runId, { holdToken: event.token });
  const run = await deps.ledger.getRun(runId);
  const released = run ? await releaseHold(deps.tokens, run) : false;
  return { holding: true, timeoutSeconds: event.timeoutSeconds, released };
}
