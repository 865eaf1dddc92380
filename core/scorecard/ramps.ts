// Ramps on the scorecard (DESIGN §9 "Ramp"): each ramp experiment's runs in the window counted by the step they
// reached, in the words the report uses ("reached 2/3 (DEGRADED at PERCENT(25))"), so a team sees how far its
// blast radius has grown and where it stops.
import type { Experiment } from '../experiment/schema.js';
import type { RunRecord } from '../ports.js';
import type { Result } from '../result/model.js';
import { formatRampProgress, rampProgress } from '../result/ramp.js';

export interface RampOutcome {
  /** `reached 2/3 (DEGRADED at PERCENT(25))` */
  progress: string;
  reached: number;
  runs: number;
}

export interface RampScore {
  experiment: string;
  /** the ramp's steps: the catalog's, else those of the newest result */
  steps: string[];
  /** finished runs in the window */
  runs: number;
  /** most steps reached first */
  outcomes: RampOutcome[];
  /** finished runs whose result could not be read: the run table does not know the step they reached */
  unknown: number;
}

/**
 * One score per experiment that is a ramp in the catalog or whose results in the window are ramps. `runs` are the
 * runs in the window; running ones are left out (they have reached no final step yet).
 */
export function rampScores(
  runs: readonly RunRecord[],
  results: ReadonlyMap<string, Result>,
  experiments: readonly Experiment[],
): RampScore[] {
  const catalog = new Map(experiments.map((e) => [e.name, e]));
  const names = new Set([
    ...experiments.filter((e) => e.fault.ramp !== undefined).map((e) => e.name),
    ...runs.filter((run) => isRamp(results.get(run.runId))).map((run) => run.experiment),
  ]);
  return [...names].sort().map((name) => {
    const finished = runs
      .filter((run) => run.experiment === name && run.status === 'DONE')
      .sort((a, b) => b.startedAt.localeCompare(a.startedAt));
    const outcomes = new Map<string, RampOutcome>();
    let unknown = 0;
    let newest: Result | undefined;
    for (const run of finished) {
      const result = results.get(run.runId);
      const progress = result ? rampProgress(result) : undefined;
      if (!result || !progress) {
        unknown++;
        continue;
      }
      newest ??= result;
      const text = formatRampProgress(progress);
      const outcome = outcomes.get(text) ?? { progress: text, reached: progress.reached, runs: 0 };
      outcome.runs++;
      outcomes.set(text, outcome);
    }
    return {
      experiment: name,
      steps: catalog.get(name)?.fault.ramp?.steps ?? newest?.ramp?.steps ?? [],
      runs: finished.length,
      outcomes: [...outcomes.values()].sort(
        (a, b) => b.reached - a.reached || b.runs - a.runs || a.progress.localeCompare(b.progress),
      ),
      unknown,
    };
  });
}

function isRamp(result: Result | undefined): boolean {
  return result !== undefined && rampProgress(result) !== undefined;
}

/** `2× reached 3/3 (PASSED), 1× reached 2/3 (DEGRADED at PERCENT(25))`, `no run in the window`. */
export function formatRampOutcomes(score: RampScore): string {
  const parts = score.outcomes.map((o) => `${o.runs}× ${o.progress}`);
  if (score.unknown) parts.push(`${score.unknown}× step unknown (no result)`);
  return parts.join(', ') || 'no run in the window';
}
