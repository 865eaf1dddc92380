// The scorecard from synthetic histories: counts and pass rate per experiment, the window, fault types, failing
// probe and guardrail rankings, and which experiments were not run within their schedule.
import { describe, expect, it } from 'vitest';
import type { RunRecord } from '../../../core/ports.js';
import type { Result } from '../../../core/result/model.js';
import { computeScorecard, type ScorecardInput } from '../../../core/scorecard/compute.js';
import { catalogExperiment, failedCheck, finishedRun, type RunSpec } from './history.js';

const NOW = new Date('2026-03-20T12:00:00Z');
const CHECKOUT = 'checkout-instance-loss';
const daysAgo = (days: number) => new Date(NOW.getTime() - days * 86_400_000).toISOString();

function history(specs: RunSpec[], extra: RunRecord[] = []) {
  const runs: RunRecord[] = [...extra];
  const results = new Map<string, Result>();
  for (const spec of specs) {
    const { run, result } = finishedRun(spec);
    runs.push(run);
    results.set(run.runId, result);
  }
  return { runs, results };
}

function scorecard(input: Partial<ScorecardInput> & Pick<ScorecardInput, 'runs' | 'results'>) {
  return computeScorecard({
    experiments: [catalogExperiment('experiments/checkout-instance-loss.yaml')],
    now: NOW,
    days: 30,
    ...input,
  });
}

describe('computeScorecard', () => {
  it('counts PASSED over the runs that injected a fault, leaving out SKIPPED and a baseline that never injected', () => {
    const { runs, results } = history(
      [
        { runId: 'p1', experiment: CHECKOUT, startedAt: daysAgo(1), from: 'passed' },
        { runId: 'p2', experiment: CHECKOUT, startedAt: daysAgo(2), from: 'passed' },
        { runId: 'p3', experiment: CHECKOUT, startedAt: daysAgo(3), from: 'passed' },
        { runId: 'd1', experiment: CHECKOUT, startedAt: daysAgo(4), from: 'failed', verdict: 'DEGRADED' },
        { runId: 's1', experiment: CHECKOUT, startedAt: daysAgo(5), from: 'skipped' },
        { runId: 's2', experiment: CHECKOUT, startedAt: daysAgo(6), from: 'skipped' },
        { runId: 'i1', experiment: CHECKOUT, startedAt: daysAgo(7), from: 'skipped', verdict: 'INCONCLUSIVE' },
      ],
      [{ runId: 'r1', experiment: CHECKOUT, status: 'RUNNING', startedAt: daysAgo(0.01) }],
    );
    const card = scorecard({ runs, results });
    const checkout = card.experiments.find((e) => e.experiment === CHECKOUT)!;
    expect(checkout).toMatchObject({
      runs: 8,
      running: 1,
      unknown: 0,
      injected: 4,
      passed: 3,
      passRate: 0.75,
      verdicts: { PASSED: 3, DEGRADED: 1, SKIPPED: 2, INCONCLUSIVE: 1, FAILED: 0, ERROR: 0 },
      lastRun: { runId: 'r1' },
    });
    expect(card.totals).toMatchObject({ runs: 8, injected: 4, passRate: 0.75 });
  });

  it('has no pass rate when nothing was injected, and counts a run without a result by its ledger verdict', () => {
    const runs: RunRecord[] = [
      { runId: 'x1', experiment: CHECKOUT, status: 'DONE', startedAt: daysAgo(1), verdict: 'SKIPPED' },
      { runId: 'x2', experiment: CHECKOUT, status: 'DONE', startedAt: daysAgo(2) },
    ];
    const card = scorecard({ runs, results: new Map() });
    expect(card.totals).toMatchObject({ runs: 2, unknown: 1, injected: 0, passRate: null });
    expect(card.totals.verdicts.SKIPPED).toBe(1);
  });

  it('counts only runs inside the window, but still knows the last run before it', () => {
    const { runs, results } = history([
      { runId: 'old', experiment: CHECKOUT, startedAt: daysAgo(40), from: 'passed' },
      { runId: 'new', experiment: CHECKOUT, startedAt: daysAgo(3), from: 'failed' },
    ]);
    const week = scorecard({ runs, results, days: 7 });
    expect(week.totals.runs).toBe(1);
    expect(week.window).toEqual({ start: daysAgo(7), end: NOW.toISOString() });
    const month = scorecard({ runs, results: new Map([[...results][1]!]), days: 2 });
    expect(month.totals.runs).toBe(0);
    expect(month.experiments[0]?.lastRun).toEqual({ runId: 'new', startedAt: daysAgo(3), verdict: 'FAILED' });
  });

  it('lists the fault types exercised by injected runs, naming the SSM document of aws:ssm:send-command', () => {
    const cpu = catalogExperiment('starters/cpu-stress.yaml', { name: 'web-cpu-stress' });
    const { runs, results } = history([
      { runId: 'a', experiment: CHECKOUT, startedAt: daysAgo(1), from: 'passed' },
      { runId: 'b', experiment: CHECKOUT, startedAt: daysAgo(2), from: 'failed' },
      { runId: 'c', experiment: CHECKOUT, startedAt: daysAgo(3), from: 'skipped' },
      { runId: 'd', experiment: 'web-cpu-stress', startedAt: daysAgo(4), from: 'passed' },
    ]);
    const card = scorecard({
      runs,
      results,
      experiments: [catalogExperiment('experiments/checkout-instance-loss.yaml'), cpu],
    });
    expect(card.faultTypes).toEqual([
      { faultType: 'aws:ec2:terminate-instances', injected: 2, experiments: [CHECKOUT] },
      { faultType: 'aws:ssm:send-command (AWSFIS-Run-CPU-Stress)', injected: 1, experiments: ['web-cpu-stress'] },
    ]);
  });

  it('ranks failing probes by the runs they failed in, with the checks that failed', () => {
    const { runs, results } = history([
      {
        runId: 'f1',
        experiment: CHECKOUT,
        startedAt: daysAgo(1),
        from: 'failed',
        checks: [failedCheck('latency_p99.fault.during'), failedCheck('latency_p99.recovery.recovery')],
      },
      {
        runId: 'f2',
        experiment: CHECKOUT,
        startedAt: daysAgo(2),
        from: 'failed',
        checks: [failedCheck('latency_p99.fault.during'), failedCheck('errors.fault.during')],
      },
      {
        runId: 'f3',
        experiment: CHECKOUT,
        startedAt: daysAgo(3),
        from: 'failed',
        checks: [failedCheck('latency_p99.fault.during'), { name: 'errors.fault.during', ok: true, message: 'held' }],
      },
    ]);
    const card = scorecard({ runs, results });
    expect(card.failingProbes).toEqual([
      {
        name: `${CHECKOUT}/latency_p99`,
        runs: 3,
        experiments: [CHECKOUT],
        checks: [
          { name: 'latency_p99.fault.during', runs: 3 },
          { name: 'latency_p99.recovery.recovery', runs: 1 },
        ],
      },
      {
        name: `${CHECKOUT}/errors`,
        runs: 1,
        experiments: [CHECKOUT],
        checks: [{ name: 'errors.fault.during', runs: 1 }],
      },
    ]);
  });

  it('ranks refusing guardrails and the stop conditions that fired', () => {
    const stopped =
      'stop condition (fault phase): observed stop-condition alarm checkout-5xx-high in ALARM and FIS stopped the fault, bound no stop condition fires';
    const { runs, results } = history([
      { runId: 's1', experiment: CHECKOUT, startedAt: daysAgo(1), from: 'skipped' },
      {
        runId: 's2',
        experiment: CHECKOUT,
        startedAt: daysAgo(2),
        from: 'skipped',
        checks: [failedCheck('alarms'), failedCheck('window')],
      },
      { runId: 's3', experiment: CHECKOUT, startedAt: daysAgo(3), from: 'skipped', checks: [failedCheck('alarms')] },
      { runId: 'f1', experiment: CHECKOUT, startedAt: daysAgo(4), from: 'failed', reasons: [stopped] },
    ]);
    const card = scorecard({ runs, results });
    expect(card.failingGuardrails.map((g) => [g.name, g.runs])).toEqual([
      ['alarms', 2],
      ['blackouts', 1],
      ['stop condition checkout-5xx-high', 1],
      ['window', 1],
    ]);
  });

  it('falls back to the reasons for the failing probe when a result has no probe checks', () => {
    const { runs, results } = history([
      {
        runId: 'd1',
        experiment: CHECKOUT,
        startedAt: daysAgo(1),
        from: 'failed',
        verdict: 'DEGRADED',
        reasons: ['errors fault: sum 61, max 23 per minute > tolerance max 0'],
      },
    ]);
    expect(scorecard({ runs, results }).failingProbes.map((p) => p.name)).toEqual([`${CHECKOUT}/errors`]);
  });

  describe('schedules', () => {
    // checkout-instance-loss runs cron(0 10 ? * TUE-THU *): its longest gap is 5 days (Thursday to Tuesday).
    const at = (days: number) =>
      history([{ runId: `r${days}`, experiment: CHECKOUT, startedAt: daysAgo(days), from: 'passed' }]);

    it('is on schedule while the last run is within twice the longest gap', () => {
      const card = scorecard(at(9.9));
      expect(card.experiments[0]).toMatchObject({
        status: 'on-schedule',
        schedule: { expression: 'cron(0 10 ? * TUE-THU *)', longestGapSeconds: 5 * 86_400 },
      });
      expect(card.attention).toEqual([]);
    });

    it('is overdue once the last run is older than twice the longest gap, even before the window', () => {
      for (const days of [10.1, 45]) {
        const card = scorecard(at(days));
        expect(card.experiments[0]?.status).toBe('overdue');
        expect(card.attention).toEqual([
          {
            experiment: CHECKOUT,
            status: 'overdue',
            message: expect.stringMatching(
              /^last run .* ago .*cron\(0 10 \? \* TUE-THU \*\) fires at least every 5 days/,
            ),
          },
        ]);
      }
    });

    it('is overdue when a scheduled experiment never ran', () => {
      const card = scorecard({ runs: [], results: new Map() });
      expect(card.attention).toEqual([
        { experiment: CHECKOUT, status: 'overdue', message: expect.stringMatching(/^never ran; /) },
      ]);
    });

    it('lists an experiment without an active schedule as not run recently only when it has no run in the window', () => {
      const unscheduled = catalogExperiment('experiments/checkout-instance-loss.yaml', {
        schedule: { expression: 'cron(0 10 ? * TUE-THU *)', enabled: false },
      });
      const idle = scorecard({ ...at(31), experiments: [unscheduled] });
      expect(idle.attention).toEqual([
        {
          experiment: CHECKOUT,
          status: 'not-run-recently',
          message: `no run in the last 30 days (last ${daysAgo(31)}) and no schedule`,
        },
      ]);
      const busy = scorecard({ ...at(29), experiments: [unscheduled] });
      expect(busy.experiments[0]?.status).toBe('unscheduled');
      expect(busy.attention).toEqual([]);
    });

    it('reports a schedule that never fires instead of failing', () => {
      const never = catalogExperiment('experiments/checkout-instance-loss.yaml', {
        schedule: { expression: 'cron(0 0 30 2 ? *)' },
      });
      const card = scorecard({ runs: [], results: new Map(), experiments: [never] });
      expect(card.attention[0]?.status).toBe('schedule-unreadable');
    });

    it('shows runs of an experiment no longer in the catalog without holding it to a schedule', () => {
      const { runs, results } = history([
        { runId: 'g', experiment: 'gone-experiment', startedAt: daysAgo(1), from: 'passed' },
      ]);
      const card = scorecard({ runs, results, experiments: [] });
      expect(card.experiments).toMatchObject([
        { experiment: 'gone-experiment', inCatalog: false, status: 'unscheduled', runs: 1, faultTypes: [] },
      ]);
      expect(card.attention).toEqual([]);
    });
  });
});
