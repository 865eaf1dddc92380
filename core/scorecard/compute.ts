// The scorecard (DESIGN §6 `shaketable scorecard`) computed from plain data: the run history, the results of the runs
// in the window, the catalog and the time. Pure, so every figure is tested without a file or an AWS call.
import { type Experiment, VERDICTS, type Verdict } from '../experiment/schema.js';
import type { RunRecord } from '../ports.js';
import type { Result } from '../result/model.js';
import { runFailures } from './failures.js';
import { type RampScore, rampScores } from './ramps.js';
import { type ExperimentResponse, experimentResponse } from './response-trend.js';
import { longestScheduleGapSeconds, ScheduleIntervalError } from './schedule-interval.js';

/** A scheduled experiment is overdue once its last run is older than this many times its longest gap. */
export const OVERDUE_FACTOR = 2;
/** How many failing probes and guardrails the rankings keep. */
export const TOP_FAILURES = 10;

export interface UnreadableResult {
  runId: string;
  experiment: string;
  uri: string;
  reason: string;
}

export interface ScorecardInput {
  /** every run the ledger knows, of any age: an experiment's last run may be older than the window */
  runs: readonly RunRecord[];
  /** results of the runs in the window, by run id (a run without one is counted from its ledger verdict) */
  results: ReadonlyMap<string, Result>;
  /** the catalog the schedules and fault types come from */
  experiments: readonly Experiment[];
  now: Date;
  days: number;
  /** results that could not be read, listed as they are on the scorecard */
  unreadable?: readonly UnreadableResult[];
}

export type VerdictCounts = Record<Verdict, number>;

export interface RunCounts {
  runs: number;
  running: number;
  /** finished runs whose verdict is known from neither the result nor the run table */
  unknown: number;
  verdicts: VerdictCounts;
  /** runs that injected a fault: not SKIPPED, and (when the result is known) an FIS experiment was started */
  injected: number;
  passed: number;
  /** passed / injected; null when nothing was injected */
  passRate: number | null;
}

export type ScheduleStatus = 'on-schedule' | 'overdue' | 'unscheduled' | 'not-run-recently' | 'schedule-unreadable';

export interface ExperimentScore extends RunCounts {
  experiment: string;
  /** false for experiments that ran but are not in the catalog (renamed or removed) */
  inCatalog: boolean;
  faultTypes: string[];
  schedule?: { expression: string; longestGapSeconds?: number };
  status: ScheduleStatus;
  lastRun?: { runId: string; startedAt: string; verdict?: string };
  /** TTD and TTR trend over the runs in the window whose results carry a response (DESIGN §9) */
  response?: ExperimentResponse;
}

export interface FaultTypeScore {
  /** FIS action id, with the SSM document for aws:ssm:send-command */
  faultType: string;
  injected: number;
  experiments: string[];
}

export interface FailureScore {
  /** `<experiment>/<probe>` for probes (a probe belongs to its experiment), the guardrail name otherwise */
  name: string;
  /** runs in which it failed */
  runs: number;
  experiments: string[];
  /** the failed check names (probes) with how often each failed */
  checks: Array<{ name: string; runs: number }>;
}

export interface Attention {
  experiment: string;
  status: 'overdue' | 'not-run-recently' | 'schedule-unreadable';
  message: string;
}

export interface Scorecard {
  generatedAt: string;
  days: number;
  window: { start: string; end: string };
  totals: RunCounts;
  experiments: ExperimentScore[];
  faultTypes: FaultTypeScore[];
  failingProbes: FailureScore[];
  failingGuardrails: FailureScore[];
  attention: Attention[];
  /** ramp experiments: their runs counted by the step they reached */
  ramps: RampScore[];
  unreadable: UnreadableResult[];
}

const VERDICT_SET: ReadonlySet<string> = new Set(VERDICTS);

export function computeScorecard(input: ScorecardInput): Scorecard {
  const end = input.now.getTime();
  const start = end - input.days * 86_400_000;
  const catalog = new Map(input.experiments.map((e) => [e.name, e]));
  const inWindow = input.runs.filter((run) => {
    const at = Date.parse(run.startedAt);
    return at >= start && at <= end;
  });
  const names = new Set([...catalog.keys(), ...inWindow.map((run) => run.experiment)]);
  const faultTypes = new Map<string, { injected: number; experiments: Set<string> }>();
  const probes = new Failures();
  const guardrails = new Failures();

  const experiments = [...names].sort().map((name): ExperimentScore => {
    const experiment = catalog.get(name);
    const runs = inWindow.filter((run) => run.experiment === name);
    const counts = countRuns(runs, input.results);
    const types = experiment ? faultTypesOf(experiment) : [];
    for (const run of runs) {
      const result = input.results.get(run.runId);
      if (injectedFault(run, result)) {
        for (const type of types) {
          const entry = faultTypes.get(type) ?? { injected: 0, experiments: new Set<string>() };
          entry.injected++;
          entry.experiments.add(name);
          faultTypes.set(type, entry);
        }
      }
      if (!result) continue;
      const failed = runFailures(result, experiment ? Object.keys(experiment.steadyState.probes) : []);
      for (const [probe, checks] of failed.probes) probes.add(`${name}/${probe}`, name, checks);
      for (const guardrail of failed.guardrails) guardrails.add(guardrail, name, []);
    }
    const response = experimentResponse(
      runs.flatMap((run) => input.results.get(run.runId) ?? []),
      experiment?.expect.detect !== undefined,
    );
    const last = lastRun(input.runs.filter((run) => run.experiment === name));
    const verdict = last ? verdictOf(last, input.results.get(last.runId)) : undefined;
    return {
      experiment: name,
      inCatalog: experiment !== undefined,
      ...counts,
      faultTypes: types,
      ...scheduleOf(experiment),
      status: experiment ? scheduleStatus(experiment, last, runs.length, end) : 'unscheduled',
      ...(last ? { lastRun: { runId: last.runId, startedAt: last.startedAt, ...(verdict ? { verdict } : {}) } } : {}),
      ...(response ? { response } : {}),
    };
  });

  return {
    generatedAt: input.now.toISOString(),
    days: input.days,
    window: { start: new Date(start).toISOString(), end: input.now.toISOString() },
    totals: countRuns(inWindow, input.results),
    experiments,
    faultTypes: [...faultTypes]
      .map(([faultType, e]) => ({ faultType, injected: e.injected, experiments: [...e.experiments].sort() }))
      .sort((a, b) => b.injected - a.injected || a.faultType.localeCompare(b.faultType)),
    failingProbes: probes.ranked(),
    failingGuardrails: guardrails.ranked(),
    attention: experiments.flatMap((score) => attentionFor(score, input.days, end)),
    ramps: rampScores(inWindow, input.results, input.experiments),
    unreadable: [...(input.unreadable ?? [])],
  };
}

/** The verdict of a run: the result's when read, else the run table's; undefined while running or unknown. */
function verdictOf(run: RunRecord, result: Result | undefined): Verdict | undefined {
  if (result) return result.verdict;
  return run.verdict !== undefined && VERDICT_SET.has(run.verdict) ? (run.verdict as Verdict) : undefined;
}

/**
 * Whether a finished run injected a fault, the denominator of the pass rate. SKIPPED never did (FIS `cancelled`
 * included); PASSED, DEGRADED and FAILED always did. INCONCLUSIVE and ERROR may have stopped before (a baseline not
 * steady, a failed preflight): an FIS experiment id in the result or the run table says one was started.
 */
export function injectedFault(run: RunRecord, result: Result | undefined): boolean {
  const verdict = verdictOf(run, result);
  if (verdict === undefined || verdict === 'SKIPPED') return false;
  if (verdict === 'PASSED' || verdict === 'DEGRADED' || verdict === 'FAILED') return true;
  return (result?.fis.experimentId ?? run.fisExperimentId) !== undefined;
}

function countRuns(runs: readonly RunRecord[], results: ReadonlyMap<string, Result>): RunCounts {
  const verdicts = Object.fromEntries(VERDICTS.map((v) => [v, 0])) as VerdictCounts;
  let running = 0;
  let unknown = 0;
  let injected = 0;
  for (const run of runs) {
    const result = results.get(run.runId);
    const verdict = verdictOf(run, result);
    if (verdict) verdicts[verdict]++;
    else if (run.status === 'RUNNING') running++;
    else unknown++;
    if (injectedFault(run, result)) injected++;
  }
  const passed = verdicts.PASSED;
  return {
    runs: runs.length,
    running,
    unknown,
    verdicts,
    injected,
    passed,
    passRate: injected ? passed / injected : null,
  };
}

/** FIS action ids of the experiment's template; SSM documents are named since one action runs many faults. */
export function faultTypesOf(experiment: Experiment): string[] {
  const template = experiment.fault.template;
  if (!template) return experiment.fault.templateId ? [`template ${experiment.fault.templateId}`] : [];
  const types = Object.values(template.actions).map((action) => {
    const document = action.parameters?.documentArn;
    const name = typeof document === 'string' ? /document\/([^/]+)$/.exec(document)?.[1] : undefined;
    return name ? `${action.actionId} (${name})` : action.actionId;
  });
  return [...new Set(types)].sort();
}

function lastRun(runs: readonly RunRecord[]): RunRecord | undefined {
  return runs.reduce<RunRecord | undefined>(
    (latest, run) => (latest === undefined || run.startedAt > latest.startedAt ? run : latest),
    undefined,
  );
}

/** The schedule the scorecard holds the experiment to: set, enabled and recurring. */
function activeSchedule(experiment: Experiment | undefined): string | undefined {
  const schedule = experiment?.schedule;
  if (!schedule || schedule.enabled === false) return undefined;
  return /^(rate|cron)\(/.test(schedule.expression.trim()) ? schedule.expression : undefined;
}

function scheduleOf(experiment: Experiment | undefined): Pick<ExperimentScore, 'schedule'> {
  const expression = activeSchedule(experiment);
  if (expression === undefined) return {};
  const gap = gapOf(expression);
  return { schedule: { expression, ...(typeof gap === 'number' ? { longestGapSeconds: gap } : {}) } };
}

function gapOf(expression: string): number | ScheduleIntervalError | undefined {
  try {
    return longestScheduleGapSeconds(expression);
  } catch (error) {
    // A schedule that validates but never fires (cron(0 0 30 2 ? *)) is shown on the scorecard, not thrown.
    if (error instanceof ScheduleIntervalError) return error;
    throw error;
  }
}

function scheduleStatus(
  experiment: Experiment,
  last: RunRecord | undefined,
  runsInWindow: number,
  now: number,
): ScheduleStatus {
  const expression = activeSchedule(experiment);
  if (expression === undefined) return runsInWindow > 0 ? 'unscheduled' : 'not-run-recently';
  const gap = gapOf(expression);
  if (gap === undefined) return runsInWindow > 0 ? 'unscheduled' : 'not-run-recently';
  if (gap instanceof ScheduleIntervalError) return 'schedule-unreadable';
  if (!last) return 'overdue';
  return now - Date.parse(last.startedAt) > OVERDUE_FACTOR * gap * 1000 ? 'overdue' : 'on-schedule';
}

function attentionFor(score: ExperimentScore, days: number, now: number): Attention[] {
  const name = score.experiment;
  switch (score.status) {
    case 'overdue': {
      const expected = `${score.schedule?.expression} fires at least every ${formatGap(score.schedule?.longestGapSeconds ?? 0)}`;
      const message = score.lastRun
        ? `last run ${formatGap((now - Date.parse(score.lastRun.startedAt)) / 1000)} ago (${score.lastRun.startedAt}); ${expected}: is the schedule deployed and enabled?`
        : `never ran; ${expected}: is the schedule deployed and enabled?`;
      return [{ experiment: name, status: 'overdue', message }];
    }
    case 'not-run-recently':
      return [
        {
          experiment: name,
          status: 'not-run-recently',
          message: score.lastRun
            ? `no run in the last ${days} days (last ${score.lastRun.startedAt}) and no schedule`
            : `never ran and has no schedule`,
        },
      ];
    case 'schedule-unreadable':
      return [
        {
          experiment: name,
          status: 'schedule-unreadable',
          message: `schedule ${score.schedule?.expression} never fires on a real date; fix schedule.expression`,
        },
      ];
    default:
      return [];
  }
}

/** A gap for a person: days above two days, else hours, else minutes. */
export function formatGap(seconds: number): string {
  if (seconds >= 2 * 86_400) return `${round(seconds / 86_400)} days`;
  if (seconds >= 2 * 3600) return `${round(seconds / 3600)} h`;
  return `${round(seconds / 60)} min`;
}

function round(n: number): string {
  return String(Math.round(n * 10) / 10);
}

/** Failure counts by name, counted once per run, ranked most frequent first. */
class Failures {
  readonly #byName = new Map<string, { runs: number; experiments: Set<string>; checks: Map<string, number> }>();

  add(name: string, experiment: string, checks: readonly string[]): void {
    const entry = this.#byName.get(name) ?? { runs: 0, experiments: new Set(), checks: new Map() };
    entry.runs++;
    entry.experiments.add(experiment);
    for (const check of new Set(checks)) entry.checks.set(check, (entry.checks.get(check) ?? 0) + 1);
    this.#byName.set(name, entry);
  }

  ranked(): FailureScore[] {
    return [...this.#byName]
      .map(([name, e]) => ({
        name,
        runs: e.runs,
        experiments: [...e.experiments].sort(),
        checks: [...e.checks]
          .map(([check, runs]) => ({ name: check, runs }))
          .sort((a, b) => b.runs - a.runs || a.name.localeCompare(b.name)),
      }))
      .sort((a, b) => b.runs - a.runs || a.name.localeCompare(b.name))
      .slice(0, TOP_FAILURES);
  }
}
