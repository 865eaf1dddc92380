// The scorecard's TTD/TTR trend: medians of the last runs against the runs before, a miss counted only where detection
// is expected, and the text and HTML forms (a sparkline per trend, escaped).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Response, Result } from '../../../core/result/model.js';
import { computeScorecard } from '../../../core/scorecard/compute.js';
import { renderScorecardHtml, sparkline } from '../../../core/scorecard/html.js';
import { experimentResponse, responseTrend, TREND_RUNS } from '../../../core/scorecard/response-trend.js';
import { formatScorecardText } from '../../../core/scorecard/text.js';
import { catalogExperiment, finishedRun } from './history.js';

const NOW = new Date('2026-03-20T12:00:00Z');

function response(ttdSeconds: number | null, ttrSeconds: number | null): Response {
  return { detectedBy: ttdSeconds === null ? null : 'checkout-5xx-high', ttdSeconds, ttmSeconds: null, ttrSeconds };
}

describe('responseTrend', () => {
  it('takes the median of the last runs and compares it with the median of the runs before', () => {
    // oldest first: 5 slow runs, then 5 fast ones
    const trend = responseTrend([120, 100, 90, 130, 110, 40, 60, 50, 45, 55]);
    expect(trend).toEqual({
      samples: [120, 100, 90, 130, 110, 40, 60, 50, 45, 55],
      recent: 50,
      previous: 110,
      direction: 'faster',
    });
    expect(responseTrend([40, 50, 60, 45, 55, 100, 120, 110, 90, 130])?.direction).toBe('slower');
    expect(responseTrend([100, 100, 100, 100, 100, 105, 95, 104, 100, 109])?.direction).toBe('steady');
  });

  it('has no direction while every run is among the recent ones, and nothing without a sample', () => {
    expect(responseTrend([30, 10, 20])).toEqual({ samples: [30, 10, 20], recent: 20 });
    expect(responseTrend([])).toBeUndefined();
  });

  it('compares only with the runs just before the recent ones', () => {
    const samples = [...Array(TREND_RUNS).fill(1000), ...Array(TREND_RUNS).fill(50), ...Array(TREND_RUNS).fill(50)];
    expect(responseTrend(samples)).toMatchObject({ recent: 50, previous: 50, direction: 'steady' });
  });

  it('keeps the recent median between the smallest and the largest recent sample', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: 0, max: 1e6, noNaN: true }), { minLength: 1, maxLength: 30 }), (xs) => {
        const trend = responseTrend(xs)!;
        const recent = xs.slice(-TREND_RUNS);
        expect(trend.recent).toBeGreaterThanOrEqual(Math.min(...recent));
        expect(trend.recent).toBeLessThanOrEqual(Math.max(...recent));
        expect(trend.direction === undefined).toBe(xs.length <= TREND_RUNS);
      }),
    );
  });
});

describe('experimentResponse', () => {
  it('orders runs by start, skips runs without a response and counts misses only where detection is expected', () => {
    const results = [
      { startedAt: '2026-03-12T10:00:00Z', response: response(null, 30) },
      { startedAt: '2026-03-10T10:00:00Z', response: response(90, 20) },
      { startedAt: '2026-03-11T10:00:00Z' },
      { startedAt: '2026-03-13T10:00:00Z', response: response(60, null) },
    ];
    expect(experimentResponse(results, true)).toEqual({
      ttd: { samples: [90, 60], recent: 75 },
      ttr: { samples: [20, 30], recent: 25 },
      undetected: 1,
    });
    expect(experimentResponse(results, false)?.undetected).toBe(0);
    expect(experimentResponse([{ startedAt: '2026-03-10T10:00:00Z' }], true)).toBeUndefined();
  });
});

describe('the scorecard with response trends', () => {
  function card() {
    const ttds = [120, 100, 90, 130, 110, 40, 60, 50, 45, 55];
    const runs = ttds.map((ttd, i) => {
      const { run, result } = finishedRun({
        runId: `r${i}`,
        experiment: 'checkout-instance-loss',
        startedAt: `2026-03-${String(10 + i).padStart(2, '0')}T10:00:00.000Z`,
        from: 'passed',
      });
      return { run, result: { ...result, response: response(ttd, 20 + i) } };
    });
    return computeScorecard({
      runs: runs.map((r) => r.run),
      results: new Map<string, Result>(runs.map((r) => [r.run.runId, r.result])),
      experiments: [
        catalogExperiment('experiments/checkout-instance-loss.yaml'),
        catalogExperiment('experiments/orders-task-loss.yaml'),
      ],
      now: NOW,
      days: 30,
    });
  }

  it('carries the trend per experiment, and none for an experiment whose runs measured nothing', () => {
    const scores = card().experiments;
    expect(scores.find((s) => s.experiment === 'checkout-instance-loss')?.response).toMatchObject({
      ttd: { recent: 50, previous: 110, direction: 'faster' },
      ttr: { recent: 27, previous: 22, direction: 'slower' },
      undetected: 0,
    });
    expect(scores.find((s) => s.experiment === 'orders-task-loss')?.response).toBeUndefined();
  });

  it('prints a row per experiment with a response, saying faster or slower than before', () => {
    const text = formatScorecardText(card());
    expect(text).toContain('Time to detect and to recover (median of the last 5 runs, against the 5 before)');
    expect(text).toMatch(
      /checkout-instance-loss {2}50 s, faster \(was 1 min 50 s\) · 10 runs {2}27 s, slower \(was 22 s\) · 10 runs {2}0/,
    );
    expect(text).not.toMatch(/orders-task-loss +—/);
  });

  it('draws a sparkline per trend in the page and marks the direction', () => {
    const html = renderScorecardHtml(card());
    expect(html).toContain('<section id="response">');
    expect(html).toContain(
      '<span class="trend" data-trend="ttd" data-direction="faster">50 s, <span class="d-faster">faster</span>',
    );
    expect(html).toMatch(/data-trend="ttr" data-direction="slower">[\s\S]*?<svg class="spark"/);
    expect(html.match(/<svg class="spark"/g)).toHaveLength(2);
    expect(html).not.toMatch(/<script|https?:\/\//);
  });

  it('says so when no run measured a response', () => {
    const empty = computeScorecard({ runs: [], results: new Map(), experiments: [], now: NOW, days: 30 });
    expect(formatScorecardText(empty)).toContain('none: no run in the window measured a response');
    expect(renderScorecardHtml(empty)).toContain('No run in the window measured a response.');
  });
});

describe('sparkline', () => {
  it('plots oldest left, the slowest run at the top, and labels every sample for screen readers', () => {
    const svg = sparkline([10, 30, 20]);
    expect(svg).toContain('points="2.0,18.0 48.0,2.0 94.0,10.0"');
    expect(svg).toContain('aria-label="3 runs, oldest first: 10 s, 30 s, 20 s"');
    expect(sparkline([10])).toBe('');
  });
});
