// FaultEnded: the FIS "Experiment State Change" event wakes the waiting InjectFault task. It ignores
// experiments shaketable did not start, experiments other than the one the run recorded, and non-terminal states;
// completing a token twice is harmless.
import * as z from 'zod/mini';
import type { FaultState } from '../ports.js';
import { currentFaultId, isTerminalStatus, RUN_TAG } from '../run/lifecycle.js';
import type { StepDeps } from './deps.js';
import { outcomeOf, timingOf } from './fault-outcome.js';

/** The fields of EventBridge's "FIS Experiment State Change" that FaultEnded reads. */
export interface FisStateChange {
  experimentId: string;
  status: string;
  reason?: string;
}

const notFromFis = { error: 'not from aws.fis' };
const nonEmpty = (what: string) => z.string({ error: what }).check(z.minLength(1, what));
const FIS_STATE_CHANGE = z.object(
  {
    'detail-type': z.literal('FIS Experiment State Change', notFromFis),
    source: z.literal('aws.fis', notFromFis),
    detail: z.object(
      {
        'experiment-id': nonEmpty('detail.experiment-id is missing'),
        'new-state': z.object(
          {
            status: nonEmpty('detail.new-state.status is missing'),
            reason: z.optional(z.string({ error: 'detail.new-state.reason is not a string' })),
          },
          { error: 'detail.new-state.status is missing' },
        ),
      },
      { error: 'detail.experiment-id is missing' },
    ),
  },
  { error: 'not an object' },
);

/** The event, or why it is not one (the first thing wrong with it). */
export function readFisStateChange(event: unknown): FisStateChange | string {
  const parsed = z.safeParse(FIS_STATE_CHANGE, event);
  if (!parsed.success) return parsed.error.issues[0]?.message ?? 'not a FIS state-change event';
  const { 'experiment-id': experimentId, 'new-state': state } = parsed.data.detail;
  return { experimentId, status: state.status, ...(state.reason !== undefined ? { reason: state.reason } : {}) };
}

/** How FIS (and the local injector) answer GetExperiment for an id they do not know: not ours, nothing to wake. */
const NOT_FOUND = new Set(['ResourceNotFoundException', 'Shaketable.FaultNotFound']);

export type FaultEndedOutcome =
  | { action: 'completed' | 'already-completed'; runId: string; status: string }
  | { action: 'ignored'; reason: string };

export type FaultEndedDeps = Pick<StepDeps, 'clock' | 'ledger' | 'faults' | 'tokens'>;

export async function faultEnded(deps: FaultEndedDeps, event: unknown): Promise<FaultEndedOutcome> {
  const change = readFisStateChange(event);
  if (typeof change === 'string') return { action: 'ignored', reason: `not a FIS state-change event: ${change}` };
  const { experimentId, status } = change;
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
  // The tag only finds the run: anyone allowed to start a tagged experiment could copy it. Only the experiment the
  // run recorded as its own (StartExperiment's answer to the run's clientToken) may wake it. Before the id is
  // recorded nothing is trusted; nothing is lost either, as InjectFault reads the fault's state right after recording
  // the id and completes the token itself when the fault has already ended.
  const recorded = currentFaultId(run);
  if (recorded === undefined)
    return {
      action: 'ignored',
      reason: `run ${runId} has not recorded its experiment yet; ${experimentId} is not trusted by its tag alone (InjectFault completes the token once it has)`,
    };
  if (recorded !== experimentId)
    return { action: 'ignored', reason: `experiment ${experimentId} is not run ${runId}'s (${recorded})` };
  // The event's status is the newest word; GetExperiment adds times and targets.
  const outcome = outcomeOf(
    {
      ...state,
      status,
      ...(change.reason ? { reason: change.reason } : {}),
    },
    true,
    run.stopCause,
    timingOf(run),
    deps.clock.now().getTime(),
  );
  const first = await deps.tokens.succeed(run.taskToken, outcome);
  return { action: first ? 'completed' : 'already-completed', runId, status };
}
