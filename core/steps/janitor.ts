// Janitor: the last line of defence. On an ABORTED / TIMED_OUT execution event, and on a periodic sweep of runs
// still RUNNING past their horizon (both best effort), it stops the fault, writes an ERROR result and releases the
// lock. Runs that already have a result are left alone.
import { finishRun, outcomeOfStop, stopRunFault, triggerOf } from '../run/lifecycle.js';
import type { StepDeps } from './deps.js';
import { errorResult } from './error-result.js';

export type JanitorDeps = Pick<StepDeps, 'clock' | 'ledger' | 'faults' | 'results' | 'renderReport' | 'settings'>;

const ENDED = new Set(['ABORTED', 'TIMED_OUT', 'FAILED']);

/** A failure's cause can be long (a stack, a payload): the result keeps its start. */
const MAX_CAUSE = 300;

/**
 * The run and status of a Step Functions "Execution Status Change" event, and why it failed when it says so
 * (checked by hand: no zod in this Lambda).
 */
function executionEnded(event: unknown): { name: string; status: string; why: string } | undefined {
  const e = event as { source?: unknown; detail?: Record<string, unknown> } | null;
  if (e === null || typeof e !== 'object' || e.source !== 'aws.states') return undefined;
  const { name, status, error, cause } = e.detail ?? {};
  if (typeof name !== 'string' || name === '' || typeof status !== 'string' || !ENDED.has(status)) return undefined;
  const failure = [error, cause]
    .filter((part): part is string => typeof part === 'string' && part !== '')
    .map((part) => (part.length > MAX_CAUSE ? `${part.slice(0, MAX_CAUSE)}…` : part))
    .join(': ');
  return { name, status, why: `execution ${status}${failure ? ` (${failure})` : ''}` };
}

function isSweep(event: unknown): boolean {
  return event !== null && typeof event === 'object' && (event as { sweep?: unknown }).sweep === true;
}

export interface JanitorOutcome {
  cleaned: Array<{ runId: string; stoppedFault?: string }>;
  skipped: Array<{ runId: string; reason: string }>;
}

export async function janitor(deps: JanitorDeps, event: unknown): Promise<JanitorOutcome> {
  const outcome: JanitorOutcome = { cleaned: [], skipped: [] };
  const ended = executionEnded(event);
  if (ended) {
    await cleanUp(deps, ended.name, ended.why, outcome);
    return outcome;
  }
  if (!isSweep(event)) {
    outcome.skipped.push({ runId: '-', reason: 'event is neither an execution status change nor a sweep' });
    return outcome;
  }
  const nowSeconds = deps.clock.now().getTime() / 1000;
  for (const run of await deps.ledger.listRuns({ status: 'RUNNING' })) {
    if (run.expiresAt !== undefined && run.expiresAt < nowSeconds) {
      await cleanUp(deps, run.runId, 'run still marked RUNNING past its longest possible duration', outcome);
    }
  }
  return outcome;
}

async function cleanUp(deps: JanitorDeps, runId: string, why: string, outcome: JanitorOutcome): Promise<void> {
  const run = await deps.ledger.getRun(runId);
  if (!run) {
    outcome.skipped.push({ runId, reason: 'no such run in the ledger' });
    return;
  }
  if (run.status === 'DONE') {
    outcome.skipped.push({ runId, reason: 'run already has a result' });
    return;
  }
  const stop = await stopRunFault(deps, run, 'orchestrator-error');
  const fault = outcomeOfStop(stop, run, 'orchestrator-error', undefined, deps.clock.now().getTime());
  const reasons = [`janitor: ${why}`];
  if (fault?.experimentId) reasons.push(`fault ${fault.experimentId}: ${fault.status}`);
  const result = errorResult({
    runId,
    experiment: run.experiment,
    startedAt: run.startedAt,
    endedAt: deps.clock.now().toISOString(),
    reasons,
    provider: deps.settings.provider,
    ...triggerOf(run),
    ...(fault ? { fault } : {}),
  });
  await finishRun(deps, result, run.lockKey);
  outcome.cleaned.push({ runId, ...(fault?.experimentId ? { stoppedFault: fault.experimentId } : {}) });
}
