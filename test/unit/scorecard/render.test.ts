// The scorecard's text and HTML forms: aligned tables, every section present, and a page that is self-contained and
// escapes whatever text a result carries.
import { describe, expect, it } from 'vitest';
import type { Result } from '../../../core/result/model.js';
import { computeScorecard } from '../../../core/scorecard/compute.js';
import { renderScorecardHtml } from '../../../core/scorecard/html.js';
import { formatScorecardText } from '../../../core/scorecard/text.js';
import { catalogExperiment, failedCheck, finishedRun } from './history.js';

const NOW = new Date('2026-03-20T12:00:00Z');
const HOSTILE = '<script>alert("x")</script>';

function sample() {
  const runs = [
    finishedRun({
      runId: 'p1',
      experiment: 'checkout-instance-loss',
      startedAt: '2026-03-19T10:00:00.000Z',
      from: 'passed',
    }),
    finishedRun({
      runId: 'f1',
      experiment: 'checkout-instance-loss',
      startedAt: '2026-03-18T10:00:00.000Z',
      from: 'failed',
      checks: [failedCheck('latency_p99.fault.during')],
    }),
    finishedRun({
      runId: 's1',
      experiment: 'checkout-instance-loss',
      startedAt: '2026-03-17T10:00:00.000Z',
      from: 'skipped',
      checks: [failedCheck(HOSTILE)],
    }),
  ];
  return computeScorecard({
    runs: runs.map((r) => r.run),
    results: new Map<string, Result>(runs.map((r) => [r.run.runId, r.result])),
    experiments: [
      catalogExperiment('experiments/checkout-instance-loss.yaml'),
      catalogExperiment('experiments/orders-task-loss.yaml'),
    ],
    now: NOW,
    days: 30,
    unreadable: [
      { runId: 'u1', experiment: 'checkout-instance-loss', uri: 's3://b/u1/result.json', reason: 'NoSuchKey: gone' },
    ],
  });
}

describe('formatScorecardText', () => {
  it('prints the headline, an aligned table per experiment and every section', () => {
    const text = formatScorecardText(sample());
    const lines = text.split('\n');
    expect(lines[0]).toBe(
      'Scorecard over 30 days (2026-02-18T12:00:00.000Z to 2026-03-20T12:00:00.000Z): 3 runs, 2 injected a fault, hypothesis pass rate 50 % (1/2)',
    );
    const header = lines[2]!;
    expect(header).toMatch(/^EXPERIMENT\s+RUNS\s+VERDICTS\s+PASS RATE\s+LAST RUN\s+SCHEDULE$/);
    const checkout = lines[3]!;
    expect(checkout).toMatch(
      /^checkout-instance-loss\s+3\s+1 PASSED, 1 FAILED, 1 SKIPPED\s+50 % \(1\/2\)\s+2026-03-19T10:00:00.000Z PASSED\s+on schedule · cron\(0 10 \? \* TUE-THU \*\)$/,
    );
    // columns line up: each column starts at the header's offset
    for (const title of ['RUNS', 'VERDICTS', 'PASS RATE', 'LAST RUN']) {
      expect(lines[4]!.slice(header.indexOf(title), header.indexOf(title) + 1)).not.toBe(' ');
    }
    expect(lines[4]).toMatch(/^orders-task-loss\s+0\s+—\s+—\s+never\s+OVERDUE · cron\(30 13 \? \* WED#2 \*\)$/);
    expect(text).toMatch(
      /Fault types exercised\nFAULT TYPE\s+INJECTED\s+EXPERIMENTS\naws:ec2:terminate-instances\s+2\s+checkout-instance-loss\n/,
    );
    expect(text).toMatch(
      /Most frequent failing probes\nPROBE\s+RUNS\s+CHECKS\ncheckout-instance-loss\/latency_p99\s+1\s+latency_p99\.fault\.during ×1/,
    );
    expect(text).toContain('OVERDUE: orders-task-loss: never ran;');
    expect(text).toContain('checkout-instance-loss u1: s3://b/u1/result.json: NoSuchKey: gone');
  });
});

describe('renderScorecardHtml', () => {
  it('is a self-contained page: a CSP without network, no script, no external resource', () => {
    const html = renderScorecardHtml(sample());
    expect(html.startsWith('<!doctype html>')).toBe(true);
    expect(html).toContain(
      'content="default-src &#39;none&#39;; style-src &#39;unsafe-inline&#39;; base-uri &#39;none&#39;; form-action &#39;none&#39;"',
    );
    expect(html).not.toMatch(/<script|<link|<img|src=|href=/i);
    for (const id of [
      'experiments',
      'fault-types',
      'failing-probes',
      'failing-guardrails',
      'attention',
      'unreadable',
    ]) {
      expect(html).toContain(`<section id="${id}">`);
    }
    expect(html).toContain('<span class="v" data-verdict="FAILED">1 FAILED</span>');
  });

  it('escapes text from results', () => {
    const html = renderScorecardHtml(sample());
    expect(html).not.toContain(HOSTILE);
    expect(html).toContain('<code>&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;</code>');
  });
});
