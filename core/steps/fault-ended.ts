// FaultEnded: the FIS "Experiment State Change" event wakes the waiting InjectFault task. It ignores
// experiments shaketable did not start and non-terminal states; completing a token twice is harmless.
import * as z from 'zod';
import type { FaultState } from '../ports.js';
import { isTerminalStatus, type StepDeps } from './deps.js';
import { outcomeOf, timingOf } from './fault-outcome.js';

export const RUN_TAG = 'shaketable:run';

export const FisStateChangeEvent = z.object({
  'detail-type': z.literal('FIS Experiment State Change'),
  source: z.literal('aws.fis'),
  detail: z.object({
    'experiment-id': z.string().min(1),
    'new-state': z.object({ status: z.string().min(1), reason: z.string().optional() }),
  }),
});

/** How FIS (and the local injector) answer GetExperiment for an id they do not know: not ours, nothing to wake. */
const NOT_FOUND = new Set(['ResourceNotFoundException', 'Shaketable.FaultNotFound']);

export type FaultEndedOutcome =
  | { action: 'completed' | 'already-completed'; runId: string; status: string }
  | { action: 'ignored'; reason: string };

export async function faultEnded(deps: StepDeps, event: unknown): Promise<FaultEndedOutcome> {
  const parsed = FisStateChangeEvent.safeParse(event);
  if (!parsed.success)
    return { action: 'ignored', reason: `not a FIS state-change event: ${parsed.error.issues[0]?.message}` };
  const experimentId = parsed.data.detail['experiment-id'];
  const status = parsed.data.detail['new-state'].status;
  if (!isTerminalStatus(status)) return { action: 'ignored', reason: `experiment ${experimentId} is ${status}` };

  // The tag is set by StartExperiment itself, so it is there even when the event beats the ledger's pointer.
  let state: FaultState;
  try {
    state = await deps.faults.get(experimentId);
  } catch (error) {
    if (error instanceof Error && NOT_FOUND.has(error.name))
      return { action: 'ignored', reason: `experiment ${experimentId} is unknown to the fault injector` };
    throw error; // throttling and the like: the event is retried
  }
  const runId = state.tags?.[RUN_TAG] ?? (await deps.ledger.findRunByFaultId(experimentId))?.runId;
  if (!runId) return { action: 'ignored', reason: `experiment ${experimentId} was not started by shaketable` };
  const run = await deps.ledger.getRun(runId);
  if (!run?.taskToken) return { action: 'ignored', reason: `run ${runId} has no task token waiting` };
  // A tag can be copied onto any experiment; once the run recorded its own, only that one may wake it.
  if (run.fisExperimentId !== undefined && run.fisExperimentId !== experimentId)
    return { action: 'ignored', reason: `experiment ${experimentId} is not run ${runId}'s (${run.fisExperimentId})` };
  // The event's status is the newest word; GetExperiment adds times and targets.
  const outcome = outcomeOf(
    {
      ...state,
      status,
      ...(parsed.data.detail['new-state'].reason ? { reason: parsed.data.detail['new-state'].reason } : {}),
    },
    true,
    run.stopCause,
    timingOf(run),
    deps.clock.now().getTime(),
  );
  const first = await deps.tokens.succeed(run.taskToken, outcome);
  return { action: first ? 'completed' : 'already-completed', runId, status };
}
