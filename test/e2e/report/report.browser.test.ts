// Opens generated report.html files in Chromium from file:// and checks what a reader sees: the verdict banner, one
// drawn chart per probe with its phase bands, and no network use; charts also under a POSIX locale. The browser is
// @sparticuz/chromium's, which `npm ci` installs (playwright-core drives it; nothing is downloaded, no system Chromium).
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import sparticuz from '@sparticuz/chromium';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reportRenderer } from '../../../core/report/chart-library.js';

const renderReport = reportRenderer();

import { Result } from '../../../core/result/model.js';

const ARTIFACTS = join(import.meta.dirname, '..', '..', 'artifacts');
const FIXTURES = join(import.meta.dirname, '..', '..', 'fixtures', 'results');

function fixture(name: string): Result {
  return Result.parse(JSON.parse(readFileSync(join(FIXTURES, `${name}.json`), 'utf8')));
}

// The tsconfig has no DOM lib (this is server code), so the few browser globals the page functions touch are typed here.
interface Plot {
  ctx: { getImageData(x: number, y: number, w: number, h: number): { data: ArrayLike<number> } };
  bbox: { top: number };
  data: (number | null)[][];
  valToPos(value: number, scale: string, canvasPixels: boolean): number;
}
interface PageGlobals {
  document: {
    body: { hasAttribute(name: string): boolean };
    getElementById(id: string): { textContent: string | null } | null;
    querySelector(selector: string): { width: number } | null;
  };
  getComputedStyle(el: unknown): { backgroundColor: string };
  shaketableCharts: { probe: string; plot: Plot }[];
}
type Canvas = { width: number; height: number };

interface Opened {
  page: Page;
  requests: string[];
  blocked: string[];
  errors: string[];
}

let browser: Browser | undefined;
/** The same Chromium started under LANG=C.UTF-8, where it reports its language as `en-US@posix` (an invalid tag). */
let posixBrowser: Browser | undefined;
let dir: string;

const ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'shaketable-report-'));
  const executablePath = await sparticuz.executablePath();
  browser = await chromium.launch({ executablePath, args: ARGS });
  posixBrowser = await chromium.launch({
    executablePath,
    args: ARGS,
    env: { ...process.env, LANG: 'C.UTF-8', LC_ALL: 'C.UTF-8', LANGUAGE: '' },
  });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await posixBrowser?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** Writes the report of a fixture to disk and opens it from file://, recording every request and page error. */
async function open(name: string, width = 1200, posix?: BrowserContext): Promise<Opened> {
  if (!browser) throw new Error('the browser did not start (see the beforeAll error)');
  const file = join(dir, `${name}.html`);
  writeFileSync(file, renderReport(fixture(name)));
  // A real locale, as a reader's browser has; the POSIX case passes its own context with none set.
  const context =
    posix ?? (await browser.newContext({ locale: 'en-US', viewport: { width, height: 900 }, deviceScaleFactor: 1 }));
  const page = await context.newPage();
  const opened: Opened = { page, requests: [], blocked: [], errors: [] };
  await context.route('**/*', (route) => {
    const url = route.request().url();
    if (url.startsWith('file:')) return route.continue();
    opened.blocked.push(url);
    return route.abort('blockedbyclient');
  });
  page.on('request', (req) => opened.requests.push(req.url()));
  page.on('pageerror', (err) => opened.errors.push(`pageerror: ${err.message}`));
  page.on('console', (msg) => {
    if (msg.type() === 'error') opened.errors.push(`console: ${msg.text()}`);
  });
  await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });
  await page.waitForFunction(() => {
    const { body } = (globalThis as unknown as PageGlobals).document;
    return body.hasAttribute('data-charts-rendered') || body.hasAttribute('data-chart-error');
  });
  return opened;
}

describe('report.html in Chromium', () => {
  it('draws one chart per probe with data, the three phase bands and the bounds of a PASSED run', async () => {
    const { page, requests, blocked, errors } = await open('passed');
    try {
      expect(await page.getAttribute('body', 'data-chart-error')).toBeNull();
      expect(await page.locator('.banner [data-testid="verdict"]').textContent()).toBe('PASSED');
      expect(await page.locator('.banner').getAttribute('data-verdict')).toBe('PASSED');
      expect(await page.locator('.banner h1').textContent()).toBe('local-instance-loss');
      const bannerBg = await page
        .locator('.banner')
        .evaluate((el) => (globalThis as unknown as PageGlobals).getComputedStyle(el).backgroundColor);
      expect(bannerBg).toBe('rgb(26, 127, 55)');

      const probes = Object.keys(fixture('passed').probes);
      expect(await page.getAttribute('body', 'data-charts-rendered')).toBe(String(probes.length));
      for (const name of probes) {
        const chart = page.locator(`[data-chart="${name}"]`);
        expect(await chart.getAttribute('data-rendered')).toBe('true');
        expect(await chart.getAttribute('data-series-length')).toBe('25');
        expect(await chart.getAttribute('data-bands')).toBe('baseline fault recovery');
        const size = await chart
          .locator('canvas')
          .evaluate((c) => [(c as unknown as Canvas).width, (c as unknown as Canvas).height]);
        expect(size[0]).toBeGreaterThan(300);
        expect(size[1]).toBeGreaterThan(100);
      }

      // The bands are really painted: near the top of the plot, in the middle of each phase, the pixel is that phase's tint.
      const tints = await page.evaluate(() => {
        const w = globalThis as unknown as PageGlobals;
        const chart = w.shaketableCharts.find((c) => c.probe === 'errors')!;
        const spans = JSON.parse(w.document.getElementById('shaketable-result')!.textContent!).phases;
        const out: Record<string, number[]> = {};
        for (const phase of ['baseline', 'fault', 'recovery']) {
          const mid = (Date.parse(spans[phase].start) + Date.parse(spans[phase].end)) / 2000;
          const x = Math.round(chart.plot.valToPos(mid, 'x', true));
          const y = Math.round(chart.plot.bbox.top + 20);
          out[phase] = Array.from(chart.plot.ctx.getImageData(x, y, 1, 1).data);
        }
        return out;
      });
      // Tints over white: baseline is bluish grey (b > r), fault red (r > g), recovery green (g > r).
      expect(tints['baseline']![2]!).toBeGreaterThan(tints['baseline']![0]!);
      expect(tints['fault']![0]!).toBeGreaterThan(tints['fault']![1]! + 10);
      expect(tints['recovery']![1]!).toBeGreaterThan(tints['recovery']![0]! + 10);

      expect(
        await page
          .locator('.legend li[data-phase]')
          .evaluateAll((els) => els.map((el) => el.getAttribute('data-phase'))),
      ).toEqual(['baseline', 'fault', 'recovery']);
      expect(await page.locator('[data-testid="hypothesis"]').textContent()).toContain(
        'p99 latency stays under 250 ms',
      );

      mkdirSync(ARTIFACTS, { recursive: true });
      await page.screenshot({ path: join(ARTIFACTS, 'report.png'), fullPage: true });

      expect(blocked).toEqual([]);
      expect(requests.filter((url) => !url.startsWith('file:'))).toEqual([]);
      expect(errors).toEqual([]);
    } finally {
      await page.context().close();
    }
  });

  it('draws the during bound and the red banner of a FAILED run and keeps charts drawn after a resize', async () => {
    const { page, requests, blocked, errors } = await open('failed');
    try {
      expect(await page.getAttribute('body', 'data-chart-error')).toBeNull();
      expect(await page.locator('.banner [data-testid="verdict"]').textContent()).toBe('FAILED');
      expect(
        await page
          .locator('.banner')
          .evaluate((el) => (globalThis as unknown as PageGlobals).getComputedStyle(el).backgroundColor),
      ).toBe('rgb(207, 34, 46)');
      expect(await page.getAttribute('body', 'data-charts-rendered')).toBe('4');
      expect(await page.locator('[data-chart="latency_p99"]').getAttribute('data-bands')).toBe(
        'baseline fault recovery',
      );
      expect(await page.locator('[data-chart="latency_p99"]').getAttribute('data-series-length')).toBe('20');
      // The 4-minute hole between the baseline window and the fault is left open (one null), not bridged by a line.
      const nulls = await page.evaluate(() => {
        const w = globalThis as unknown as PageGlobals;
        return w.shaketableCharts.find((c) => c.probe === 'latency_p99')!.plot.data[1]!.filter((v) => v === null)
          .length;
      });
      expect(nulls).toBe(1);
      // The during bound (max 0.5 s, solid red) is drawn over the fault phase only: red at mid-fault, absent mid-baseline.
      const redAt = await page.evaluate(() => {
        const w = globalThis as unknown as PageGlobals;
        const chart = w.shaketableCharts.find((c) => c.probe === 'latency_p99')!;
        const spans = JSON.parse(w.document.getElementById('shaketable-result')!.textContent!).phases;
        const y = Math.round(chart.plot.valToPos(0.5, 'y', true));
        const isRed = (phase: string) => {
          const x = Math.round(
            chart.plot.valToPos(
              (Date.parse(spans[phase].start) * 0.3 + Date.parse(spans[phase].end) * 0.7) / 1000,
              'x',
              true,
            ),
          );
          const column = chart.plot.ctx.getImageData(x, y - 2, 1, 5).data;
          for (let i = 0; i < column.length; i += 4) if (column[i]! > 180 && column[i + 1]! < 90) return true;
          return false;
        };
        return { fault: isRed('fault'), baseline: isRed('baseline') };
      });
      expect(redAt).toEqual({ fault: true, baseline: false });

      await page.screenshot({ path: join(ARTIFACTS, 'report-failed.png'), fullPage: true });
      await page.setViewportSize({ width: 700, height: 900 });
      await page.waitForFunction(
        () =>
          ((globalThis as unknown as PageGlobals).document.querySelector('[data-chart="errors"] canvas')?.width ??
            700) < 700,
      );
      expect(
        await page.locator('[data-chart="errors"] canvas').evaluate((c) => (c as unknown as Canvas).width),
      ).toBeGreaterThan(300);
      expect(blocked).toEqual([]);
      expect(requests.filter((url) => !url.startsWith('file:'))).toEqual([]);
      expect(errors).toEqual([]);
    } finally {
      await page.context().close();
    }
  });

  it('renders a SKIPPED run with no probes without a chart or a script error', async () => {
    const { page, requests, errors } = await open('skipped');
    try {
      expect(await page.locator('.banner [data-testid="verdict"]').textContent()).toBe('SKIPPED');
      expect(await page.getAttribute('body', 'data-charts-rendered')).toBe('0');
      expect(await page.getAttribute('body', 'data-chart-error')).toBeNull();
      expect(await page.locator('canvas').count()).toBe(0);
      expect(await page.locator('[data-testid="no-probes"]').textContent()).toContain('Nothing was measured');
      expect(await page.locator('tr[data-check="blackouts"]').getAttribute('data-ok')).toBe('false');
      await page.screenshot({ path: join(ARTIFACTS, 'report-skipped.png'), fullPage: true });
      expect(requests.filter((url) => !url.startsWith('file:'))).toEqual([]);
      expect(errors).toEqual([]);
    } finally {
      await page.context().close();
    }
  });
  it("shows a GameDay's response in order on the charts and the timeline, with the responders' notes readable", async () => {
    const result = fixture('gameday');
    const { page, requests, blocked, errors } = await open('gameday');
    try {
      expect(await page.getAttribute('body', 'data-chart-error')).toBeNull();
      // Beside the charts: detection, mitigation and recovery, in time order.
      expect(
        await page
          .locator('[data-testid="response"] li')
          .evaluateAll((els) => els.map((el) => el.getAttribute('data-marker'))),
      ).toEqual(['detection', 'mitigation', 'recovery']);
      expect(await page.locator('[data-testid="response"] li[data-marker="mitigation"]').innerText()).toContain('bob');
      // On every chart, the three dashed lines, left to right in the same order.
      const probes = Object.keys(result.probes);
      expect(await page.getAttribute('body', 'data-charts-rendered')).toBe(String(probes.length));
      for (const name of probes) {
        expect(await page.locator(`[data-chart="${name}"]`).getAttribute('data-markers')).toBe(
          'detection mitigation recovery',
        );
      }
      // The mitigation line is really painted: purple pixels in its column, none a few pixels to the left of it.
      const purple = await page.evaluate((at) => {
        const chart = (globalThis as unknown as PageGlobals).shaketableCharts.find((c) => c.probe === 'errors')!;
        const x = Math.round(chart.plot.valToPos(Date.parse(at) / 1000, 'x', true));
        const isPurple = (px: number) => {
          const column = chart.plot.ctx.getImageData(px, chart.plot.bbox.top + 60, 1, 80).data;
          for (let i = 0; i < column.length; i += 4) {
            if (column[i + 2]! > 180 && column[i]! > 100 && column[i + 1]! < 110) return true;
          }
          return false;
        };
        return { on: isPurple(x), beside: isPurple(x - 12) };
      }, result.acks![1]!.at);
      expect(purple).toEqual({ on: true, beside: false });
      // The timeline: the markers in time order, each ack as a visible note with who made it and its text as written.
      expect(
        await page
          .locator('ol.timeline li[data-marker]')
          .evaluateAll((els) => els.map((el) => el.getAttribute('data-marker'))),
      ).toEqual(['detection', 'mitigation', 'recovery']);
      const notes = page.locator('ol.timeline li[data-event-type="ack"]');
      expect(await notes.count()).toBe(2);
      for (const [i, ack] of result.acks!.entries()) {
        const note = notes.nth(i);
        expect(await note.getAttribute('data-ack-kind')).toBe(ack.kind);
        expect(await note.locator('.by').textContent()).toBe(ack.by);
        expect(await note.locator('q.note').isVisible()).toBe(true);
        expect(await note.locator('q.note').textContent()).toBe(ack.note);
      }
      // The note's "<web-2>" is text, not an element.
      expect(await page.locator('web-2').count()).toBe(0);
      await page.screenshot({ path: join(ARTIFACTS, 'report-gameday.png'), fullPage: true });
      expect(blocked).toEqual([]);
      expect(requests.filter((url) => !url.startsWith('file:'))).toEqual([]);
      expect(errors).toEqual([]);
    } finally {
      await page.context().close();
    }
  });

  it('draws a ramp as one band per step, labelled with its selection and verdict, beside a table of the steps', async () => {
    const { page, requests, blocked, errors } = await open('ramp-degraded');
    try {
      expect(await page.getAttribute('body', 'data-chart-error')).toBeNull();
      expect(await page.locator('.banner [data-testid="verdict"]').textContent()).toBe('DEGRADED');
      expect(await page.locator('[data-testid="ramp-progress"]').textContent()).toBe(
        'ramp reached 2/3 (DEGRADED at PERCENT(50))',
      );
      expect(await page.getAttribute('body', 'data-charts-rendered')).toBe('3');
      for (const name of ['latency_p99', 'errors', 'healthy']) {
        const chart = page.locator(`[data-chart="${name}"]`);
        expect(await chart.getAttribute('data-rendered')).toBe('true');
        // both steps' datapoints on one chart: 2 × (5 baseline + 5 fault + 15 recovery)
        expect(await chart.getAttribute('data-series-length')).toBe('50');
        expect(await chart.getAttribute('data-bands')).toBe(
          '1:baseline 1:fault 1:recovery 2:baseline 2:fault 2:recovery',
        );
        expect(await chart.getAttribute('data-step-labels')).toBe('1:COUNT(1):PASSED 2:PERCENT(50):DEGRADED');
      }

      // Painted, not only recorded: each step's fault phase is tinted red, its label square has the verdict's colour,
      // and the during bound (healthy ≥ 3) is drawn over both steps' faults.
      const painted = await page.evaluate(() => {
        const w = globalThis as unknown as PageGlobals;
        const chart = w.shaketableCharts.find((c) => c.probe === 'healthy')!;
        const steps = JSON.parse(w.document.getElementById('shaketable-result')!.textContent!).steps as Array<{
          phases: Record<string, { start: string; end: string }>;
        }>;
        const pixelAt = (x: number, y: number) =>
          Array.from(chart.plot.ctx.getImageData(Math.round(x), Math.round(y), 1, 1).data);
        const pixel = (t: number, y: number) => pixelAt(chart.plot.valToPos(t, 'x', true), y);
        const mid = (span: { start: string; end: string }) => (Date.parse(span.start) + Date.parse(span.end)) / 2000;
        const top = chart.plot.bbox.top;
        const duringY = chart.plot.valToPos(3, 'y', true);
        return steps.map((step) => ({
          fault: pixel(mid(step.phases['fault']!), top + 60),
          // the label square: 4 px into the band's first phase, 5 px below the top, 9 px wide
          square: pixelAt(
            chart.plot.valToPos(Date.parse(step.phases['baseline']!.start) / 1000, 'x', true) + 8,
            top + 9,
          ),
          during: [-1, 0, 1].some((dy) => {
            const [r, g] = pixel(mid(step.phases['fault']!) + 1, duringY + dy);
            return r! > 180 && g! < 90;
          }),
        }));
      });
      expect(painted).toHaveLength(2);
      for (const step of painted) {
        expect(step.fault[0]!).toBeGreaterThan(step.fault[1]! + 10);
        expect(step.during).toBe(true);
      }
      expect(painted[0]!.square.slice(0, 3)).toEqual([26, 127, 55]); // PASSED green
      expect(painted[1]!.square.slice(0, 3)).toEqual([212, 167, 44]); // DEGRADED yellow

      const rows = page.locator('#ramp tbody tr');
      expect(await rows.count()).toBe(3);
      expect(await rows.evaluateAll((els) => els.map((el) => el.getAttribute('data-reached')))).toEqual([
        'true',
        'true',
        'false',
      ]);
      expect(await page.locator('#ramp tr[data-step="2"] [data-testid="targets-hit"]').textContent()).toBe('2');
      expect(await page.locator('#ramp tr[data-step="3"]').textContent()).toContain('not reached');
      expect(await page.locator('.legend li[data-step-band]').count()).toBe(2);

      mkdirSync(ARTIFACTS, { recursive: true });
      await page.screenshot({ path: join(ARTIFACTS, 'report-ramp.png'), fullPage: true });
      expect(blocked).toEqual([]);
      expect(requests.filter((url) => !url.startsWith('file:'))).toEqual([]);
      expect(errors).toEqual([]);
    } finally {
      await page.context().close();
    }
  });

  it('draws its charts under a POSIX locale, where Chromium reports the invalid tag en-US@posix', async () => {
    if (!posixBrowser) throw new Error('the browser did not start (see the beforeAll error)');
    const context = await posixBrowser.newContext({ viewport: { width: 1200, height: 900 }, deviceScaleFactor: 1 });
    try {
      // The precondition, measured: this Chromium's own language tag is one Intl refuses (uPlot would throw on it).
      const blank = await context.newPage();
      const reported = await blank.evaluate(() => {
        const tag = (globalThis as unknown as { navigator: { language: string } }).navigator.language;
        try {
          new Intl.NumberFormat(tag);
          return { tag, valid: true };
        } catch {
          return { tag, valid: false };
        }
      });
      expect(reported).toEqual({ tag: expect.stringMatching(/@posix$/), valid: false });
      await blank.close();

      const { page, errors } = await open('passed', 1200, context);
      expect(await page.getAttribute('body', 'data-chart-error')).toBeNull();
      const probes = Object.keys(fixture('passed').probes);
      expect(await page.getAttribute('body', 'data-charts-rendered')).toBe(String(probes.length));
      expect(
        await page.evaluate(() => (globalThis as unknown as { navigator: { language: string } }).navigator.language),
      ).toBe(reported.tag.split('@')[0]);
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
