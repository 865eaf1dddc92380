// Guardrail (environment promotion, DESIGN §9): a run may start only when each experiment it requires has a run that
// ended with the required verdict within `within`, read from the run history (run table on AWS, the local ledger).
import { durationSeconds } from '../duration.js';
import type { Requirement } from '../experiment/schema.js';
import type { RunRecord } from '../ports.js';
import type { Check } from '../result/model.js';

/** How many of a required experiment's newest runs are read: enough for any realistic cadence within `within`. */
export const REQUIRED_RUNS_READ = 100;

/**
 * One check per requirement. `runs` holds each required experiment's runs, newest first (RunLedger.listRuns); a
 * requirement is met by a DONE run with that verdict whose `endedAt` is within `within` of `now`.
 */
export function requiresChecks(
  requires: readonly Requirement[] | undefined,
  runs: ReadonlyMap<string, readonly RunRecord[]>,
  now: Date,
): Check[] {
  return (requires ?? []).map((requirement) =>
    requirementCheck(requirement, runs.get(requirement.experiment) ?? [], now),
  );
}

function requirementCheck(requirement: Requirement, runs: readonly RunRecord[], now: Date): Check {
  const { experiment, verdict, within } = requirement;
  const since = now.getTime() - durationSeconds(within) * 1000;
  const bound = `${experiment} ${verdict} within ${within}`;
  const met = runs.find(
    (run) =>
      run.status === 'DONE' &&
      run.verdict === verdict &&
      run.endedAt !== undefined &&
      Date.parse(run.endedAt) >= since &&
      Date.parse(run.endedAt) <= now.getTime(),
  );
  if (met) {
    return {
      name: 'requires',
      ok: true,
      observed: `${met.runId} ${verdict} ended ${met.endedAt}`,
      bound,
      message: `requires: ${experiment} run ${met.runId} ended ${verdict} at ${met.endedAt}, within ${within}`,
    };
  }
  const last = runs[0];
  const found = last ? `last run ${last.runId} ${describeRun(last)}` : 'no run found';
  return {
    name: 'requires',
    ok: false,
    observed: last ? `${last.runId} ${describeRun(last)}` : 'no run found',
    bound,
    message: `requires: no ${verdict} run of ${experiment} ended within ${within} (${found}); run ${experiment} first`,
  };
}

function describeRun(run: RunRecord): string {
  if (run.status === 'RUNNING') return `still running since ${run.startedAt}`;
  return `${run.verdict ?? 'without a verdict'}, ended ${run.endedAt ?? 'at an unknown time'}`;
}
