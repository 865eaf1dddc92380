// A ramp's result read by people (DESIGN §9 "Ramp"): how far it got, one line per step, and report.html's steps table
// and per-step chart bands, from a realistic result whose second of three steps was DEGRADED.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readChartLibrary } from '../../../core/report/chart-library.js';
import { renderReport } from '../../../core/report/render.js';
import { Result } from '../../../core/result/model.js';
import { formatRampProgress, formatStepLine, rampProgress } from '../../../core/result/ramp.js';

const FIXTURES = join(import.meta.dirname, '..', '..', 'fixtures', 'results');
const fixture = (name: string): Result =>
  Result.parse(JSON.parse(readFileSync(join(FIXTURES, `${name}.json`), 'utf8')));

const degraded = fixture('ramp-degraded');
const [first, second] = degraded.steps!;

describe('rampProgress', () => {
  it('is undefined for a run that is not a ramp', () => {
    expect(rampProgress(fixture('passed'))).toBeUndefined();
  });

  it('names the step that did not pass: reached 2/3 (DEGRADED at PERCENT(50))', () => {
    const progress = rampProgress(degraded)!;
    expect(progress).toEqual({
      reached: 2,
      total: 3,
      stoppedAt: { index: 2, selectionMode: 'PERCENT(50)', verdict: 'DEGRADED', ran: true },
    });
    expect(formatRampProgress(progress)).toBe('reached 2/3 (DEGRADED at PERCENT(50))');
  });

  it('says PASSED when every step passed', () => {
    const third = { ...second!, index: 3, selectionMode: 'PERCENT(75)', verdict: 'PASSED' as const, reasons: [] };
    const passed = {
      ...degraded,
      verdict: 'PASSED' as const,
      steps: [first!, { ...second!, verdict: 'PASSED' as const }, third],
    };
    expect(formatRampProgress(rampProgress(passed)!)).toBe('reached 3/3 (PASSED)');
  });

  it('says before which step a run stopped that a guardrail refused before it ran', () => {
    const refusedAtStart = { ...degraded, verdict: 'SKIPPED' as const, steps: [] };
    expect(formatRampProgress(rampProgress(refusedAtStart)!)).toBe('reached 0/3 (SKIPPED before COUNT(1))');
    // as the engine records a run that preflight refused: its first step, SKIPPED, nothing injected
    const refusedStep = { ...first!, verdict: 'SKIPPED' as const, fis: { targets: [] }, reasons: ['blastRadius: …'] };
    const refusedWhole = { ...degraded, verdict: 'SKIPPED' as const, steps: [refusedStep] };
    expect(formatRampProgress(rampProgress(refusedWhole)!)).toBe('reached 0/3 (SKIPPED before COUNT(1))');
    const refusedLater = { ...degraded, verdict: 'SKIPPED' as const, steps: [first!] };
    expect(formatRampProgress(rampProgress(refusedLater)!)).toBe('reached 1/3 (SKIPPED before PERCENT(50))');
  });
});

describe('formatStepLine', () => {
  it('gives each step its selection, verdict and how many targets it hit (the reasons stay in the run reasons)', () => {
    expect(formatStepLine(first!, 3)).toBe('step 1/3 COUNT(1): PASSED, 1 target hit');
    expect(formatStepLine(second!, 3)).toBe('step 2/3 PERCENT(50): DEGRADED, 2 targets hit');
    const capped = { ...second!, fis: { ...second!.fis, targetsTotal: 140 } };
    expect(formatStepLine(capped, 3)).toMatch(/DEGRADED, 140 targets hit/);
    const refused = {
      ...second!,
      verdict: 'SKIPPED' as const,
      fis: { targets: [] },
      reasons: ['blastRadius: too many'],
    };
    expect(formatStepLine(refused, 3)).toBe('step 2/3 PERCENT(50): SKIPPED, nothing injected');
  });
});

describe('report.html of a ramp', () => {
  const html = renderReport(degraded, readChartLibrary());

  it('shows how far the ramp got beside the verdict', () => {
    expect(html).toContain('<span data-testid="ramp-progress">ramp reached 2/3 (DEGRADED at PERCENT(50))</span>');
  });

  it('has one row per step of the ramp: selection, targets hit, verdict and reasons; the unreached step says why', () => {
    const rows = [...html.matchAll(/<tr data-step="(\d)" data-reached="(true|false)"[^>]*>(.*?)<\/tr>/g)];
    expect(rows.map((m) => [m[1], m[2]])).toEqual([
      ['1', 'true'],
      ['2', 'true'],
      ['3', 'false'],
    ]);
    expect(rows[0]![3]).toContain('<code>COUNT(1)</code></td><td data-testid="targets-hit">1</td>');
    expect(rows[0]![3]).toContain('data-verdict="PASSED">PASSED</span>');
    expect(rows[1]![3]).toContain('<code>PERCENT(50)</code></td><td data-testid="targets-hit">2</td>');
    expect(rows[1]![3]).toContain(
      '<li>healthy went to 2 during the fault, below the during bound ≥ 3 (fault phase)</li>',
    );
    expect(rows[2]![3]).toContain('<code>PERCENT(75)</code>');
    expect(rows[2]![3]).toContain('not run: the ramp stopped at step 2 (DEGRADED)');
    expect(html).toContain(
      '<h2>Ramp of target <code>web</code> <small>(reached 2/3 (DEGRADED at PERCENT(50)))</small></h2>',
    );
  });

  it("charts every step's datapoints and lists each step's band in the legend", () => {
    const points = (r: Result['probes'][string]) =>
      r.series.baseline.length + r.series.fault.length + r.series.recovery.length;
    const expected = points(first!.probes['healthy']!) + points(second!.probes['healthy']!);
    expect(expected).toBe(50);
    expect(html).toContain(`data-chart="healthy" data-points="${expected}"`);
    expect(html).toMatch(/<li data-step-band="1"><strong>step 1 · COUNT\(1\) · PASSED<\/strong>/);
    expect(html).toMatch(/<li data-step-band="2"><strong>step 2 · PERCENT\(50\) · DEGRADED<\/strong>/);
  });

  it('shows a ramp refused before its first step: every step not reached, the first saying it was refused', () => {
    const refused = renderReport(
      { ...degraded, verdict: 'SKIPPED', steps: [], probes: {}, phases: {}, fis: { targets: [] } },
      readChartLibrary(),
    );
    const rows = [...refused.matchAll(/<tr data-step="(\d)" data-reached="false"[^>]*>(.*?)<\/tr>/g)];
    expect(rows.map((m) => m[1])).toEqual(['1', '2', '3']);
    expect(rows[0]![2]).toContain('refused: the run ended SKIPPED before this step');
    expect(rows[1]![2]).toContain('not run: the ramp stopped at step 1 (SKIPPED)');
    expect(refused).toContain('ramp reached 0/3 (SKIPPED before COUNT(1))');
    expect(refused).toContain('data-testid="no-probes"');
  });

  it('renders a run without steps as before: no ramp section, the phase legend', () => {
    const plain = renderReport(fixture('passed'), readChartLibrary());
    expect(plain).not.toContain('id="ramp"');
    expect(plain).not.toContain('ramp-progress');
    expect(plain).toContain(
      '<li data-phase="baseline"><span class="swatch" data-phase="baseline"></span><strong>baseline</strong>',
    );
  });
});
