// Synthetic run histories for the scorecard tests: catalog experiments from the real files, run records and results
// derived from the result fixtures with the run id, experiment, time and checks each test needs.
import { readFileSync } from 'node:fs';
import type { Experiment } from '../../../core/experiment/schema.js';
import { experimentFromText } from '../../../core/experiment/validate.js';
import type { RunRecord } from '../../../core/ports.js';
import { type Check, Result } from '../../../core/result/model.js';

const root = new URL('../../../', import.meta.url);

export function catalogExperiment(file: string, overrides: Partial<Experiment> = {}): Experiment {
  const experiment = experimentFromText(readFileSync(new URL(file, root), 'utf8'), file);
  return { ...experiment, ...overrides };
}

export function fixtureResult(name: 'passed' | 'failed' | 'skipped'): Result {
  return Result.parse(JSON.parse(readFileSync(new URL(`test/fixtures/results/${name}.json`, root), 'utf8')));
}

export interface RunSpec {
  runId: string;
  experiment: string;
  startedAt: string;
  from: 'passed' | 'failed' | 'skipped';
  verdict?: Result['verdict'];
  checks?: Check[];
  reasons?: string[];
  fisExperimentId?: string | null;
}

/** A finished run: its ledger record and its result (a fixture re-labelled). */
export function finishedRun(spec: RunSpec): { run: RunRecord; result: Result } {
  const base = fixtureResult(spec.from);
  const verdict = spec.verdict ?? base.verdict;
  const fis = { ...base.fis };
  if (spec.fisExperimentId === null) delete fis.experimentId;
  else if (spec.fisExperimentId !== undefined) fis.experimentId = spec.fisExperimentId;
  const result: Result = {
    ...base,
    runId: spec.runId,
    experiment: spec.experiment,
    startedAt: spec.startedAt,
    endedAt: spec.startedAt,
    verdict,
    reasons: spec.reasons ?? base.reasons,
    fis,
    preflight: { checks: spec.checks ?? base.preflight.checks },
  };
  const run: RunRecord = {
    runId: spec.runId,
    experiment: spec.experiment,
    status: 'DONE',
    startedAt: spec.startedAt,
    endedAt: spec.startedAt,
    verdict,
    resultUri: `s3://results/runs/${spec.experiment}/${spec.runId}/result.json`,
    ...(fis.experimentId ? { fisExperimentId: fis.experimentId } : {}),
  };
  return { run, result };
}

export function failedCheck(name: string, message = `${name} did not hold`): Check {
  return { name, ok: false, message };
}
