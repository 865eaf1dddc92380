import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { VERDICTS } from '../../../core/experiment/schema.js';
import { readChartLibrary } from '../../../core/report/chart-library.js';
import { renderReport as renderWith } from '../../../core/report/render.js';
import { Result } from '../../../core/result/model.js';

const charts = readChartLibrary();
const renderReport = (result: Result) => renderWith(result, charts);

const FIXTURES = join(import.meta.dirname, '..', '..', 'fixtures', 'results');
function fixture(name: 'passed' | 'failed' | 'skipped' | 'gameday'): Result {
  return Result.parse(JSON.parse(readFileSync(join(FIXTURES, `${name}.json`), 'utf8')));
}

const HOSTILE = '</script><img src=x onerror=alert(1)><!--';

function embeddedJson(html: string): unknown {
  const m = /<script type="application\/json" id="shaketable-result">([\s\S]*?)<\/script>/.exec(html);
  if (!m) throw new Error('no embedded result');
  return JSON.parse(m[1]!);
}

function count(html: string, re: RegExp): number {
  return html.match(re)?.length ?? 0;
}

function hostileResult(): Result {
  const r = fixture('failed');
  return {
    ...r,
    experiment: `exp${HOSTILE}`,
    runId: `run"${HOSTILE}`,
    hypothesis: `It holds ${HOSTILE}`,
    description: HOSTILE,
    runbook: 'javascript:alert(1)',
    reasons: [`reason ${HOSTILE}`, 'a & b "quoted" \'single\''],
    preflight: {
      checks: [{ name: `chk${HOSTILE}`, ok: false, observed: HOSTILE, bound: { evil: HOSTILE }, message: HOSTILE }],
    },
    events: [{ at: '2026-03-10T10:00:00Z', type: `t${HOSTILE}`, message: HOSTILE }],
    links: {
      [`label${HOSTILE}`]: `https://example.com/?q="><script>alert(1)</script>`,
      data: 'data:text/html,<script>alert(1)</script>',
    },
    probes: { [`p${HOSTILE}`]: { ...r.probes['errors']!, unit: HOSTILE } },
    fis: { ...r.fis, targets: [HOSTILE] },
  };
}

describe('renderReport', () => {
  it('puts the verdict, experiment and run id in the banner and marks the page with data-verdict', () => {
    const html = renderReport(fixture('failed'));
    expect(html.startsWith('<!doctype html>')).toBe(true);
    expect(html).toContain('<body data-verdict="FAILED"');
    expect(html).toMatch(/<header class="banner" data-verdict="FAILED"[^>]*>/);
    expect(html).toContain('<p class="verdict" data-testid="verdict">FAILED</p>');
    expect(html).toContain('<h1 data-testid="experiment">checkout-instance-loss</h1>');
    expect(html).toContain('checkout-instance-loss-20260310T100000Z-9c2e');
    expect(html).toContain('A stop condition stopped the fault while it ran.');
  });

  it('gives every verdict a banner colour rule and its own meaning line', () => {
    for (const verdict of VERDICTS) {
      const html = renderReport({ ...fixture('skipped'), verdict });
      expect(html).toMatch(new RegExp(`\\.banner\\[data-verdict="${verdict}"\\]\\{background:#[0-9a-f]{6}`));
      expect(html).toContain(`<header class="banner" data-verdict="${verdict}"`);
    }
    const meanings = new Set(
      VERDICTS.map(
        (v) => /<p class="meaning">(.*?)<\/p>/.exec(renderReport({ ...fixture('skipped'), verdict: v }))![1],
      ),
    );
    expect(meanings.size).toBe(VERDICTS.length);
  });

  it('shows the hypothesis sentence and every reason', () => {
    const r = fixture('failed');
    const html = renderReport(r);
    expect(html).toContain(`<blockquote data-testid="hypothesis">${r.hypothesis}</blockquote>`);
    expect(count(html, /<li data-reason>/g)).toBe(r.reasons.length);
    expect(html).toContain('<li data-reason>errors fault: sum 61, max 23 per minute &gt; tolerance max 0</li>');
  });

  it('renders one chart container per probe carrying its datapoint count and bounds', () => {
    const r = fixture('failed');
    const html = renderReport(r);
    const names = Object.keys(r.probes);
    expect(count(html, /<div class="chart" data-chart="/g)).toBe(names.length);
    expect(html).toContain('data-probe-count="4"');
    for (const name of names) {
      expect(html).toContain(`<div class="chart" data-chart="${name}" data-points="20"`);
      expect(html).toContain(`<article class="probe" data-probe="${name}">`);
    }
    expect(html).toContain('tolerance ≤ 0.2 s · during the fault ≤ 0.5 s · 20 datapoints');
    for (const phase of ['baseline', 'fault', 'recovery']) expect(html).toContain(`<li data-phase="${phase}">`);
  });

  it('lists preflight checks with ok or refused, observed value, bound and message', () => {
    const html = renderReport(fixture('skipped'));
    expect(count(html, /<tr data-check="/g)).toBe(5);
    expect(html).toContain('Preflight checks <small>(1 of 5 refused)</small>');
    const row = /<tr data-check="blackouts" data-ok="false">(.*?)<\/tr>/.exec(html)?.[1];
    expect(row).toContain('<span class="badge refused">refused</span>');
    expect(row).toContain('<td>2026-12-22</td>');
    expect(row).toContain('from 2026-12-20, to 2027-01-04, reason year-end freeze');
    expect(row).toContain('&quot;year-end freeze&quot;; runs resume on 2027-01-05');
    expect(html).toMatch(
      /<tr data-check="window" data-ok="true"><td><strong>window<\/strong><\/td><td><span class="badge ok">ok<\/span>/,
    );
  });

  it('lists the hypothesis checks in their own section, never under "Preflight checks"', () => {
    const r = fixture('passed');
    const html = renderReport({
      ...r,
      hypothesisChecks: [
        { name: 'errors.baseline.tolerance', ok: true, message: 'held' },
        { name: 'errors.fault.tolerance', ok: false, message: 'sum 3 > 0' },
      ],
    });
    const preflight = /<section id="preflight">([\s\S]*?)<\/section>/.exec(html)?.[1] ?? '';
    expect(preflight).toContain(`Preflight checks <small>(all ${r.preflight.checks.length} passed)</small>`);
    expect(preflight).not.toContain('errors.');
    const hypothesis = /<section id="hypothesis-checks">([\s\S]*?)<\/section>/.exec(html)?.[1] ?? '';
    expect(hypothesis).toContain('Hypothesis checks <small>(1 of 2 failed)</small>');
    expect(hypothesis).toContain('<tr data-check="errors.fault.tolerance" data-ok="false">');
    expect(renderReport(r)).not.toContain('id="hypothesis-checks"');
  });

  it('renders a SKIPPED run with no probes and no phases without any chart container', () => {
    const html = renderReport(fixture('skipped'));
    expect(html).toContain('data-probe-count="0"');
    expect(html).not.toContain('data-chart=');
    expect(html).toContain(
      '<p class="empty" data-testid="no-probes">Nothing was measured: the run was skipped before its baseline.</p>',
    );
  });

  it('renders a probe whose series are all empty as an empty chart container with a note', () => {
    const r = fixture('passed');
    const html = renderReport({
      ...r,
      probes: { ...r.probes, errors: { ...r.probes['errors']!, series: { baseline: [], fault: [], recovery: [] } } },
    });
    expect(html).toContain(
      '<div class="chart" data-chart="errors" data-points="0"><p class="empty">No datapoints were recorded for this probe.</p></div>',
    );
    expect(html).toContain('<div class="chart" data-chart="healthy" data-points="25"');
  });

  it('lists the timeline, the run and FIS links and the runbook', () => {
    const r = fixture('failed');
    const html = renderReport(r);
    expect(count(html, /<li data-event-type="/g)).toBe(r.events.length);
    expect(html).toContain(
      '<li data-event-type="stop-condition"><time datetime="2026-03-10T10:03:12.000Z">2026-03-10 10:03:12 UTC</time><span class="offset">+3 min 16 s</span>',
    );
    expect(html).toContain(
      '<dd data-link="runbook"><a href="https://wiki.example.com/runbooks/checkout" rel="noopener noreferrer">',
    );
    expect(html).toMatch(
      /<dd data-link="FIS experiment"><a href="https:\/\/eu-central-1\.console\.aws\.amazon\.com\/fis\//,
    );
    // s3:// cannot be opened by a browser: shown as text, not as a dead link.
    expect(html).toContain('<dd data-link="result.json"><code>s3://shaketable-results-123456789012/');
    expect(html).toContain('<code>EXPa1B2c3D4e5F6g7H</code> (stopped)');
  });

  it('shows time-to-detect beside the verdict and marks the detection on the timeline', () => {
    const r = fixture('passed');
    const html = renderReport({
      ...r,
      response: { detectedBy: 'checkout-5xx-high', ttdSeconds: 90, ttmSeconds: null, ttrSeconds: 120 },
      events: [...r.events, { at: r.startedAt, type: 'detected', message: 'detected by checkout-5xx-high after 90 s' }],
    });
    expect(html).toContain(
      '<span data-testid="ttd">detected in 1 min 30 s by <code>checkout-5xx-high</code></span> · recovered in 2 min',
    );
    expect(html).toContain('<li data-event-type="detected" class="marker" data-marker="detection">');
    const missed = renderReport({
      ...r,
      response: { detectedBy: null, ttdSeconds: null, ttmSeconds: null, ttrSeconds: null },
    });
    expect(missed).toContain('<span data-testid="ttd">not detected</span>');
    expect(renderReport(r)).not.toContain('data-testid="ttd"');
  });

  it("escapes a responder's note and name on the timeline and keeps the page's own four scripts", () => {
    const r = fixture('gameday');
    const html = renderReport({
      ...r,
      acks: [
        { ...r.acks![0]!, by: 'mallory"><b>', note: '<script>alert(document.cookie)</script> & </q><!--' },
        r.acks![1]!,
      ],
    });
    expect(html).toContain(
      '<q class="note">&lt;script&gt;alert(document.cookie)&lt;/script&gt; &amp; &lt;/q&gt;&lt;!--</q>',
    );
    expect(html).toContain('acknowledged by <strong class="by">mallory&quot;&gt;&lt;b&gt;</strong>');
    expect(html).not.toContain('<script>alert');
    expect(count(html, /<script\b/gi)).toBe(4);
    expect(count(html, /<!--/g)).toBe(0);
  });

  it('puts the response beside the charts and detection, mitigation, recovery and the acks on the timeline in time order', () => {
    const r = fixture('gameday');
    const html = renderReport(r);
    expect(html).toContain('· mitigated in 5 s · recovered in 3 s</p>');
    const section = /<ol class="response" data-testid="response">([\s\S]*?)<\/ol>/.exec(html)![1]!;
    expect([...section.matchAll(/data-marker="(\w+)" data-at="([^"]+)"/g)].map((m) => [m[1], m[2]])).toEqual([
      ['detection', '2026-12-07T14:10:22.051Z'],
      ['mitigation', '2026-12-07T14:10:25.794Z'],
      ['recovery', '2026-12-07T14:10:30.000Z'],
    ]);
    expect(html.indexOf('<section id="response">')).toBeLessThan(html.indexOf('<section id="probes">'));
    const timeline = /<ol class="timeline">([\s\S]*?)<\/ol>/.exec(html)![1]!;
    const types = [...timeline.matchAll(/<li data-event-type="([^"]+)"(?: data-ack-kind="(\w+)")?/g)].map((m) =>
      m[2] ? `${m[1]}:${m[2]}` : m[1],
    );
    expect(types).toEqual([
      'baseline',
      'started',
      'preflight',
      'fault-start',
      'detected',
      'ack:detected',
      'ack:mitigated',
      'fault-end',
      'recovered',
      'recovery-end',
      'verdict',
    ]);
    expect([...timeline.matchAll(/data-marker="(\w+)"/g)].map((m) => m[1])).toEqual([
      'detection',
      'mitigation',
      'recovery',
    ]);
    expect(timeline).toContain('<q class="note">p99_slow paged; checkout p99 ~410 ms on &lt;web-2&gt; only</q>');
  });

  it('marks a human detection on the ack that made it and says when nothing detected or mitigated', () => {
    const r = fixture('gameday');
    const human = renderReport({
      ...r,
      response: { ...r.response!, detectedBy: 'ack:alice', ttdSeconds: 2.318 },
      events: r.events.filter((ev) => ev.type !== 'detected'),
    });
    expect(human).toContain(
      '<li data-event-type="ack" data-ack-kind="detected" class="marker note" data-marker="detection">',
    );
    expect(human).toContain('by <strong>alice</strong> (acknowledged)');
    const missed = renderReport({
      ...r,
      acks: [],
      response: { detectedBy: null, ttdSeconds: null, ttmSeconds: null, ttrSeconds: 3 },
      events: r.events.filter((ev) => ev.type !== 'detected'),
    });
    expect(missed).toContain('<li data-marker="none"><strong>not detected</strong>');
    expect(missed).toContain('<li data-marker="none"><strong>not mitigated</strong>');
    expect(missed).not.toContain('<li data-marker="detection"');
    expect(missed).not.toMatch(/<li data-event-type="[^"]*"[^>]*data-marker="detection"/);
    expect(renderReport(fixture('passed'))).not.toContain('<section id="response">');
  });

  it('is self-contained: inlines uPlot, fetches nothing and forbids the network by CSP', () => {
    const html = renderReport(fixture('passed'));
    expect(html).toContain(charts.js);
    expect(html).toContain(`<style>${charts.css}</style>`);
    expect(html).toContain('content="default-src &#39;none&#39;; script-src &#39;unsafe-inline&#39;;');
    expect(html).not.toMatch(/<(script|img|link|iframe|source|video|audio|embed|object)\b[^>]*\s(src|href|data)=/i);
    expect(html).not.toMatch(/@import|url\(\s*['"]?(https?:)?\/\//i);
  });

  it('escapes hostile strings everywhere and embeds the result so it parses back unchanged', () => {
    const r = hostileResult();
    const html = renderReport(r);
    expect(html).not.toMatch(/<img/i);
    // the result, the locale guard, uPlot, the chart script
    expect(count(html, /<script\b/gi)).toBe(4);
    expect(count(html, /<\/script>/gi)).toBe(4);
    expect(count(html, /<!--/g)).toBe(0);
    expect(html).toContain(
      '<blockquote data-testid="hypothesis">It holds &lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;&lt;!--</blockquote>',
    );
    expect(html).toContain('<li data-reason>a &amp; b &quot;quoted&quot; &#39;single&#39;</li>');
    expect(html).not.toContain('href="javascript:');
    expect(html).toContain('<dd data-link="runbook"><code>javascript:alert(1)</code></dd>');
    expect(html).not.toContain('href="data:');
    expect(html).toContain('href="https://example.com/?q=&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;"');
    const json = /id="shaketable-result">([\s\S]*?)<\/script>/.exec(html)![1]!;
    expect(json).not.toMatch(/[<>&]/);
    expect(json).toContain('\\u003c/script\\u003e');
    expect(embeddedJson(html)).toEqual(r);
  });

  it('keeps exactly its own four script tags and a lossless embedded result for any text in a result', () => {
    const fragment = fc.oneof(
      fc.string({ unit: 'binary' }),
      fc.constantFrom('</script>', '<!--', '-->', '<script>', '\u2028', '\u2029', '</SCRIPT >', '&lt;', ']]>', '"\''),
    );
    const text = fc.array(fragment, { maxLength: 4 }).map((parts) => parts.join(''));
    fc.assert(
      fc.property(text, text, text, text, (hypothesis, reason, message, probe) => {
        const base = fixture('passed');
        const r: Result = {
          ...base,
          hypothesis,
          reasons: [reason],
          events: [{ at: base.startedAt, type: 'x', message }],
          probes: { [probe]: base.probes['errors']! },
        };
        const html = renderReport(r);
        expect(count(html, /<script\b/gi)).toBe(4);
        expect(count(html, /<\/script/gi)).toBe(4);
        expect(embeddedJson(html)).toEqual(r);
      }),
      { numRuns: 100 },
    );
  });

  it('is pure: the same result renders to the same page', () => {
    const r = fixture('failed');
    expect(renderReport(r)).toBe(renderReport(structuredClone(r)));
  });
});
