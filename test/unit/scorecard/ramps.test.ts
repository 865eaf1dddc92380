// Ramps on the scorecard: each ramp experiment's runs counted by the step they reached, as text and HTML; a catalog
// without ramps shows no ramp section.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { RunRecord } from '../../../core/ports.js';
import { Result } from '../../../core/result/model.js';
import { computeScorecard } from '../../../core/scorecard/compute.js';
import { renderScorecardHtml } from '../../../core/scorecard/html.js';
import { formatRampOutcomes } from '../../../core/scorecard/ramps.js';
import { formatScorecardText } from '../../../core/scorecard/text.js';
import { catalogExperiment, finishedRun } from './history.js';

const NOW = new Date('2026-03-20T12:00:00Z');
const RAMP = 'local-ramp-degraded';
const ramped = Result.parse(
  JSON.parse(readFileSync(new URL('../../fixtures/results/ramp-degraded.json', import.meta.url), 'utf8')),
);
const [first, second] = ramped.steps!;

const base = catalogExperiment('experiments/local/local-instance-loss.yaml');
const rampExperiment = {
  ...base,
  name: RAMP,
  fault: { ...base.fault, ramp: { target: 'web', steps: ['COUNT(1)', 'PERCENT(50)', 'PERCENT(75)'] } },
};

/** A finished ramp run whose result reached `steps` and ended `verdict`. */
function rampRun(runId: string, day: number, verdict: Result['verdict'], steps: Result['steps']) {
  const startedAt = `2026-03-${String(day).padStart(2, '0')}T10:00:00.000Z`;
  const { run, result } = finishedRun({ runId, experiment: RAMP, startedAt, from: 'passed', verdict });
  return { run, result: { ...result, ramp: ramped.ramp, steps } };
}

function card() {
  const passedSteps = [
    first!,
    { ...second!, verdict: 'PASSED' as const },
    { ...second!, index: 3, selectionMode: 'PERCENT(75)', verdict: 'PASSED' as const },
  ];
  const runs = [
    rampRun('r1', 19, 'PASSED', passedSteps),
    rampRun('r2', 18, 'DEGRADED', ramped.steps),
    rampRun('r3', 17, 'PASSED', passedSteps),
    rampRun('r4', 16, 'SKIPPED', []),
  ];
  const noResult: RunRecord = { runId: 'r5', experiment: RAMP, status: 'DONE', startedAt: '2026-03-15T10:00:00.000Z' };
  const running: RunRecord = {
    runId: 'r6',
    experiment: RAMP,
    status: 'RUNNING',
    startedAt: '2026-03-20T11:59:00.000Z',
  };
  return computeScorecard({
    runs: [...runs.map((r) => r.run), noResult, running],
    results: new Map(runs.map((r) => [r.run.runId, r.result])),
    experiments: [rampExperiment, catalogExperiment('experiments/checkout-instance-loss.yaml')],
    now: NOW,
    days: 30,
  });
}

describe('ramps on the scorecard', () => {
  it('counts each ramp run by the step it reached, most steps first; a run with no result is step unknown', () => {
    const { ramps } = card();
    expect(ramps).toEqual([
      {
        experiment: RAMP,
        steps: ['COUNT(1)', 'PERCENT(50)', 'PERCENT(75)'],
        runs: 5,
        outcomes: [
          { progress: 'reached 3/3 (PASSED)', reached: 3, runs: 2 },
          { progress: 'reached 2/3 (DEGRADED at PERCENT(50))', reached: 2, runs: 1 },
          { progress: 'reached 0/3 (SKIPPED before COUNT(1))', reached: 0, runs: 1 },
        ],
        unknown: 1,
      },
    ]);
    expect(formatRampOutcomes(ramps[0]!)).toBe(
      '2× reached 3/3 (PASSED), 1× reached 2/3 (DEGRADED at PERCENT(50)), 1× reached 0/3 (SKIPPED before COUNT(1)), 1× step unknown (no result)',
    );
  });

  it('prints a ramp section in the text scorecard', () => {
    const text = formatScorecardText(card());
    const section = text.slice(text.indexOf('Ramps by the step reached'));
    const lines = section.split('\n');
    expect(lines[1]).toMatch(/^RAMP +STEPS +RUNS +REACHED$/);
    expect(lines[2]).toMatch(
      /^local-ramp-degraded +COUNT\(1\) → PERCENT\(50\) → PERCENT\(75\) +5 +2× reached 3\/3 \(PASSED\), 1× reached 2\/3 \(DEGRADED at PERCENT\(50\)\), /,
    );
  });

  it('shows the same in the HTML scorecard', () => {
    const html = renderScorecardHtml(card());
    const section = /<section id="ramps">([\s\S]*?)<\/section>/.exec(html)?.[1];
    expect(section).toContain('<h2>Ramps by the step reached</h2>');
    expect(section).toContain(
      '<td>local-ramp-degraded</td><td><code>COUNT(1)</code> → <code>PERCENT(50)</code> → <code>PERCENT(75)</code></td><td>5</td><td>2× reached 3/3 (PASSED), 1× reached 2/3 (DEGRADED at PERCENT(50))',
    );
  });

  it('has no ramp section when no experiment is a ramp', () => {
    const plain = computeScorecard({
      runs: [],
      results: new Map(),
      experiments: [catalogExperiment('experiments/checkout-instance-loss.yaml')],
      now: NOW,
      days: 30,
    });
    expect(plain.ramps).toEqual([]);
    expect(formatScorecardText(plain)).not.toContain('Ramps by the step reached');
    expect(renderScorecardHtml(plain)).not.toContain('id="ramps"');
  });

  it('lists a catalog ramp that did not run in the window', () => {
    const idle = computeScorecard({ runs: [], results: new Map(), experiments: [rampExperiment], now: NOW, days: 30 });
    expect(idle.ramps).toMatchObject([{ experiment: RAMP, runs: 0, outcomes: [], unknown: 0 }]);
    expect(formatRampOutcomes(idle.ramps[0]!)).toBe('no run in the window');
  });
});
