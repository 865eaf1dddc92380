// `shaketable console --local` as a user meets it: the real CLI (bin/shaketable.js) serving a folder of its own with
// the shipped experiments/local files, driven by headless Chromium (@sparticuz/chromium + playwright-core). The
// catalog, a live demo run ending on its report, halt → SKIPPED, the token and origin checks, no request to any
// other origin, and no process left once the console is stopped.
import { type ChildProcess, spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { cp, mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import chromium from '@sparticuz/chromium';
import { type Browser, type BrowserContext, type Page, chromium as playwright } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import type { RunRecord } from '../../../core/ports.js';
import { isAlive } from '../../../local/files/pids.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const CLI = path.join(ROOT, 'bin/shaketable.js');
const LOCAL = path.join(ROOT, 'experiments/local');
const DEMO = 'local-instance-loss';
const ARTIFACTS = path.join(ROOT, 'test/artifacts');

let dir: string;
let console_: ChildProcess | undefined;
let output = '';
let url: URL;
let origin: string;
let token: string;
let browser: Browser | undefined;
let context: BrowserContext;
let page: Page;
/** every request the browser made (page, frames, fetches, event streams), and those to another origin */
const requests: string[] = [];
const foreign: string[] = [];
const pageErrors: string[] = [];
/** sandbox instance pids seen while runs were going, all SIGKILLed in afterAll should a test fail */
const seenPids = new Set<number>();

function localExperimentNames(): string[] {
  return readdirSync(LOCAL)
    .filter((f) => f.endsWith('.yaml'))
    .map((f) => (parse(readFileSync(path.join(LOCAL, f), 'utf8')) as { name: string }).name)
    .sort();
}

/** Resolves once the console printed its URL; rejects if it exits first or after `timeoutMs`. */
function waitForUrl(child: ChildProcess, timeoutMs: number): Promise<URL> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no URL within ${timeoutMs} ms:\n${output}`)), timeoutMs);
    const look = () => {
      const found = /http:\/\/127\.0\.0\.1:\d+\/\?token=[0-9a-f]+/.exec(output);
      if (found) {
        clearTimeout(timer);
        resolve(new URL(found[0]));
      }
    };
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      look();
    });
    child.stderr?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the console exited (${code}) before printing its URL:\n${output}`));
    });
  });
}

/** Pids of the processes whose parent chain leads to `root` (from /proc). */
function descendants(root: number): number[] {
  const parents = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      // pid (comm) state ppid …; comm may hold spaces and parentheses: read after the last ')'.
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      parents.set(Number(entry), ppid);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT' && (error as NodeJS.ErrnoException).code !== 'ESRCH') {
        throw error;
      }
    }
  }
  const out: number[] = [];
  const pending = [root];
  while (pending.length) {
    const parent = pending.pop()!;
    for (const [pid, ppid] of parents) {
      if (ppid === parent) {
        out.push(pid);
        pending.push(pid);
      }
    }
  }
  return out;
}

async function ledger(): Promise<RunRecord[]> {
  const folder = path.join(dir, '.shaketable', 'ledger');
  let names: string[];
  try {
    names = readdirSync(folder);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  return Promise.all(
    names
      .filter((n) => n.endsWith('.json'))
      .map(async (n) => JSON.parse(await readFile(path.join(folder, n), 'utf8')) as RunRecord),
  );
}

/** A raw HTTP request, so that headers a browser would set (Host, Origin) can be chosen. */
function raw(
  method: string,
  pathname: string,
  headers: Record<string, string>,
  body?: string,
): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port: url.port, method, path: pathname, headers, timeout: 5000 },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          text += chunk;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
      },
    );
    req.on('timeout', () => req.destroy(new Error(`${method} ${pathname} timed out`)));
    req.on('error', reject);
    req.end(body);
  });
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'shaketable-console-'));
  await cp(LOCAL, path.join(dir, 'experiments', 'local'), { recursive: true });
  console_ = spawn(process.execPath, [CLI, 'console', '--local'], {
    cwd: dir,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, NO_COLOR: '1', CI: '' },
  });
  url = await waitForUrl(console_, 20_000);
  origin = url.origin;
  token = url.searchParams.get('token') ?? '';
  browser = await playwright.launch({
    executablePath: await chromium.executablePath(),
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'],
  });
  context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'en-US' });
  context.on('request', (req) => {
    requests.push(req.url());
    if (new URL(req.url()).origin !== origin) foreign.push(req.url());
  });
  page = await context.newPage();
  page.on('pageerror', (error) => pageErrors.push(error.message));
  // CSP refusals (an inline style, a foreign fetch) are reported as console errors.
  page.on('console', (message) => {
    if (message.type() === 'error') pageErrors.push(`console: ${message.text()}`);
  });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  if (console_ && console_.exitCode === null && console_.signalCode === null) console_.kill('SIGKILL');
  for (const pid of [...seenPids].filter(isAlive)) process.kill(pid, 'SIGKILL');
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** The one browser global used in a callback (the tsconfig has no DOM lib: this is server code). */
interface Styled {
  getComputedStyle(element: unknown): { display: string; backgroundColor: string };
}

/** What the live page shows, for a failure message: the error line and the progress log. */
async function pageState(): Promise<string> {
  const error = await page.locator('#error').textContent();
  const log = await page.locator('[data-testid="log"]').textContent();
  return `error line: ${error}\nlog:\n${log}\nconsole output:\n${output}`;
}

/** Waits for `selector`, failing with what the page and the console said. */
async function waitOrTell(selector: string, timeout: number): Promise<void> {
  try {
    await page.waitForSelector(selector, { timeout });
  } catch (error) {
    throw new Error(`${(error as Error).message.split('\n')[0]}\n${await pageState()}`);
  }
}

/** Starts a run from the catalog row of `experiment` (Run, then the confirmation) and waits for its live view. */
async function startFromCatalog(experiment: string, action: 'run' | 'dry-run' = 'run'): Promise<void> {
  await page.goto(url.href);
  await page.locator(`tr[data-experiment="${experiment}"] button[data-action="${action}"]`).click();
  await expect.poll(() => page.locator('dialog[open]').count(), { timeout: 5000 }).toBe(1);
  await page.locator('dialog [data-testid="confirm"]').click();
  await page.waitForURL(/#\/run\//, { timeout: 10_000 });
}

function watchSandbox(): NodeJS.Timeout {
  return setInterval(() => {
    if (console_?.pid) for (const pid of descendants(console_.pid)) seenPids.add(pid);
  }, 200);
}

describe('shaketable console --local in Chromium', () => {
  it('answers only requests carrying the token, and actions only from its own origin', async () => {
    expect((await raw('GET', '/', {})).status).toBe(401);
    expect((await raw('GET', '/api/catalog', {})).status).toBe(401);
    expect((await raw('GET', '/api/catalog?token=wrong', {})).status).toBe(401);
    expect((await raw('GET', `/api/catalog?token=${token}`, {})).status).toBe(200);
    const json = { 'content-type': 'application/json' };
    // No token header: refused even from the page's own origin (a query token does not authorise an action).
    expect((await raw('POST', `/api/halt?token=${token}`, { ...json, origin }, '{}')).status).toBe(401);
    const otherOrigin = await raw(
      'POST',
      '/api/halt',
      { ...json, origin: 'http://127.0.0.1:1', 'x-shaketable-token': token },
      '{}',
    );
    expect(otherOrigin.status).toBe(403);
    const crossSite = await raw(
      'POST',
      '/api/halt',
      { ...json, 'sec-fetch-site': 'cross-site', 'x-shaketable-token': token },
      '{}',
    );
    expect(crossSite.status).toBe(403);
    // DNS rebinding: a page of evil.example resolving to 127.0.0.1 names its own host.
    expect((await raw('GET', `/api/catalog?token=${token}`, { host: `evil.example:${url.port}` })).status).toBe(403);
    // None of the refused actions turned the kill switch on.
    expect(JSON.parse((await raw('GET', `/api/state?token=${token}`, {})).text).killSwitch.on).toBe(false);
  });

  it('lists every experiments/local experiment in the catalog, with filter and search', async () => {
    await page.goto(url.href);
    await page.waitForSelector('body[data-rendered="catalog"]', { timeout: 15_000 });
    const names = await page
      .locator('table[data-testid="catalog"] tbody tr')
      .evaluateAll((rows) => rows.map((row) => row.getAttribute('data-experiment')));
    expect(names.sort()).toEqual(localExperimentNames());
    await mkdir(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: path.join(ARTIFACTS, 'console-catalog.png'), fullPage: true });
    const demo = page.locator(`tr[data-experiment="${DEMO}"]`);
    expect(await demo.locator('td[data-label="Owner"]').textContent()).toBe('demo');
    expect(await demo.locator('td[data-label="Fault"]').textContent()).toContain('local:instance:terminate');
    expect(await demo.locator('td[data-label="Guardrails"]').textContent()).toContain('alarms error_burst');
    expect(await demo.locator('td[data-label="Last verdict"]').textContent()).toBe('never run');

    await page.locator('#search').fill('blackout');
    expect(await page.locator('table[data-testid="catalog"] tbody tr:not([hidden])').count()).toBe(1);
    await page.locator('#search').fill('');
    expect(await page.locator('table[data-testid="catalog"] tbody tr:not([hidden])').count()).toBe(names.length);
  });

  it('starts the demo experiment after a confirmation, shows its phases live and ends on its report', async () => {
    const watcher = watchSandbox();
    try {
      await startFromCatalog(DEMO);
      // The header says a run is in progress, wherever the user goes.
      await page.waitForSelector('[data-testid="active-run"]:not([hidden])', { timeout: 5000 });
      // Live: the fault phase is seen while it runs, with probe values as the CLI prints them.
      await waitOrTell('[data-phase="InjectFault"][data-state="current"]', 60_000);
      await page.waitForSelector('[data-testid="probes"] tr[data-probe="latency_p99"]', { timeout: 15_000 });
      expect(await page.locator('[data-phase="Baseline"]').getAttribute('data-state')).toBe('done');
      await waitOrTell('[data-testid="verdict"] .verdict', 90_000);
      const verdict = await page.locator('[data-testid="verdict"] .verdict').textContent();
      const log = (await page.locator('[data-testid="log"]').textContent()) ?? '';
      expect(log).toContain('> Baseline: measuring the baseline');
      expect(log).toContain('> Publish: writing result.json and report.html');

      // The verdict shown is the one recorded, and the report in the page says the same.
      const runs = (await ledger()).filter((r) => r.experiment === DEMO);
      expect(runs).toHaveLength(1);
      expect(runs[0]!.status).toBe('DONE');
      expect(verdict).toBe(runs[0]!.verdict);
      const report = page.frameLocator('iframe[data-testid="report"]');
      await expect
        .poll(() => report.locator('.banner [data-testid="verdict"]').textContent({ timeout: 10_000 }), {
          timeout: 15_000,
        })
        .toBe(verdict);
      expect(await report.locator('.banner h1').textContent()).toBe(DEMO);
      // The report's own script drew its charts inside the sandboxed frame.
      await report.locator('body[data-charts-rendered="3"]').waitFor({ timeout: 15_000 });
      expect(
        await page
          .locator('[data-testid="verdict"] .verdict')
          .evaluate((el) => (globalThis as unknown as Styled).getComputedStyle(el).backgroundColor),
      ).not.toBe('rgba(0, 0, 0, 0)');
      await page.screenshot({ path: path.join(ARTIFACTS, 'console-run.png'), fullPage: true });
    } finally {
      clearInterval(watcher);
    }
    // The sandbox's instances are gone once the run ended.
    await expect.poll(() => [...seenPids].filter(isAlive), { timeout: 10_000 }).toEqual([]);
  }, 180_000);

  it("shows the experiment's history with the run's report in the page", async () => {
    await page.goto(`${url.href}#/experiment/${DEMO}`);
    const row = page.locator('table[data-testid="history"] tbody tr').first();
    await row.waitFor({ timeout: 10_000 });
    expect(await row.locator('td[data-label="Trigger"]').textContent()).toBe('manual');
    await row.locator('a', { hasText: 'Report' }).click();
    const report = page.frameLocator('iframe[data-testid="report"]');
    expect(await report.locator('.banner h1').textContent({ timeout: 15_000 })).toBe(DEMO);
  });

  it('halted, a run is SKIPPED; resumed, the switch is off again', async () => {
    await page.goto(url.href);
    await page.waitForSelector('[data-testid="halt"]', { timeout: 10_000 });
    await page.locator('[data-testid="halt"]').click();
    await page.locator('#confirm-reason').fill('console test');
    await page.locator('dialog [data-testid="confirm"]').click();
    await expect
      .poll(() => page.locator('[data-testid="kill-switch"]').textContent(), { timeout: 5000 })
      .toBe('kill switch ON: console test');

    const watcher = watchSandbox();
    try {
      await startFromCatalog(DEMO);
      await waitOrTell('[data-testid="verdict"] .verdict', 60_000);
      expect(await page.locator('[data-testid="verdict"] .verdict').textContent()).toBe('SKIPPED');
      expect(await page.locator('ul.reasons').textContent()).toMatch(/killSwitch: on \(console test\)/);
    } finally {
      clearInterval(watcher);
    }

    await page.locator('[data-testid="resume"]').click();
    await page.locator('dialog [data-testid="confirm"]').click();
    await expect
      .poll(() => page.locator('[data-testid="kill-switch"]').textContent(), { timeout: 5000 })
      .toBe('kill switch off');
  }, 120_000);

  it('runs a dry run through preflight and the baseline only: SKIPPED, nothing injected', async () => {
    const watcher = watchSandbox();
    try {
      await startFromCatalog(DEMO, 'dry-run');
      await waitOrTell('[data-testid="verdict"] .verdict', 60_000);
      expect(await page.locator('[data-testid="verdict"] .verdict').textContent()).toBe('SKIPPED');
      expect(await page.locator('ul.reasons').textContent()).toContain('dry run');
      expect(await page.locator('[data-phase="InjectFault"]').getAttribute('data-state')).toBe('pending');
    } finally {
      clearInterval(watcher);
    }
  }, 120_000);

  it('acknowledges detected and mitigated on the live run after a confirmation, and its report shows both acks', async () => {
    const watcher = watchSandbox();
    try {
      await startFromCatalog(DEMO);
      const runId = decodeURIComponent(page.url().split('#/run/')[1]!);
      await waitOrTell('[data-phase="InjectFault"][data-state="current"]', 60_000);
      const ack = async (kind: 'detected' | 'mitigated', note: string) => {
        await page.locator(`[data-testid="ack"] button[data-ack="${kind}"]`).click();
        await expect.poll(() => page.locator('dialog[open]').count(), { timeout: 5000 }).toBe(1);
        await page.locator('dialog #confirm-reason').fill(note);
        await page.locator('dialog [data-testid="confirm"]').click();
        await expect
          .poll(() => page.locator('#status').textContent(), { timeout: 10_000 })
          .toContain(`${kind} ack recorded for run ${runId}`);
      };
      await ack('detected', 'p99 <page> fired');
      await ack('mitigated', 'drained the instance & shifted traffic');
      await waitOrTell('[data-testid="verdict"] .verdict', 90_000);
      // The run is evaluated: it takes no more acks, and the buttons are gone.
      expect(await page.locator('[data-testid="ack"]').count()).toBe(0);
      const report = page.frameLocator('iframe[data-testid="report"]');
      const notes = report.locator('ol.timeline li[data-event-type="ack"]');
      await expect.poll(() => notes.count(), { timeout: 15_000 }).toBe(2);
      expect(await notes.evaluateAll((els) => els.map((el) => el.getAttribute('data-ack-kind')))).toEqual([
        'detected',
        'mitigated',
      ]);
      expect(await notes.nth(0).locator('q.note').textContent()).toBe('p99 <page> fired');
      expect(await notes.nth(1).locator('q.note').textContent()).toBe('drained the instance & shifted traffic');
      expect(await report.locator('[data-testid="response"] li[data-marker="mitigation"]').count()).toBe(1);
      const acks = (await ledger()).find((r) => r.runId === runId)?.acks ?? [];
      expect(acks.map((a) => a.kind)).toEqual(['detected', 'mitigated']);
      await page.screenshot({ path: path.join(ARTIFACTS, 'console-acks.png'), fullPage: true });

      // An ack for the finished run is one readable line, not a stack trace.
      const refused = await raw(
        'POST',
        `/api/runs/${runId}/ack`,
        { 'content-type': 'application/json', origin, 'x-shaketable-token': token },
        JSON.stringify({ kind: 'detected' }),
      );
      expect(refused.status).toBe(400);
      expect(JSON.parse(refused.text).error).toMatch(/^run \S+ of local-instance-loss is already evaluated/);
    } finally {
      clearInterval(watcher);
    }
    await expect.poll(() => [...seenPids].filter(isAlive), { timeout: 10_000 }).toEqual([]);
  }, 180_000);

  it('shows the scorecard, follows dark mode, and stays usable on a narrow window and from the keyboard', async () => {
    await page.goto(`${url.href}#/scorecard`);
    const card = page.frameLocator('iframe[data-testid="scorecard"]');
    expect(await card.locator('h1').textContent({ timeout: 10_000 })).toBe('shaketable scorecard');

    const narrow = await context.newPage();
    try {
      await narrow.emulateMedia({ colorScheme: 'dark' });
      await narrow.setViewportSize({ width: 390, height: 800 });
      await narrow.goto(url.href);
      await narrow.waitForSelector('body[data-rendered="catalog"]', { timeout: 15_000 });
      expect(await narrow.evaluate('getComputedStyle(document.body).backgroundColor')).toBe('rgb(13, 17, 23)');
      await narrow.screenshot({ path: path.join(ARTIFACTS, 'console-narrow-dark.png'), fullPage: true });
      // One card per experiment, nothing wider than the window.
      expect(await narrow.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390);
      expect(
        await narrow
          .locator(`tr[data-experiment="${DEMO}"]`)
          .evaluate((row) => (globalThis as unknown as Styled).getComputedStyle(row).display),
      ).toBe('block');

      // Keyboard: Tab reaches the search field and a Run button; Enter opens the confirmation, Escape cancels it.
      await narrow.locator('#search').focus();
      await narrow.keyboard.type('instance-loss');
      let focused = '';
      for (let i = 0; i < 30 && focused !== 'run'; i++) {
        await narrow.keyboard.press('Tab');
        focused = await narrow.evaluate<string>("document.activeElement?.getAttribute('data-action') ?? ''");
      }
      expect(focused).toBe('run');
      await narrow.keyboard.press('Enter');
      await expect.poll(() => narrow.locator('dialog[open]').count(), { timeout: 5000 }).toBe(1);
      await narrow.keyboard.press('Escape');
      await expect.poll(() => narrow.locator('dialog[open]').count(), { timeout: 5000 }).toBe(0);
      expect((await ledger()).filter((r) => r.status === 'RUNNING')).toEqual([]);
    } finally {
      await narrow.close();
    }
  });

  it('made no request to any origin but its own, and no script error', () => {
    expect(requests.length).toBeGreaterThan(10);
    expect(foreign).toEqual([]);
    expect(pageErrors).toEqual([]);
  });

  it('stops on Ctrl-C during a run, records the run as stopped, and leaves no process behind', async () => {
    const watcher = watchSandbox();
    try {
      await startFromCatalog(DEMO);
      await waitOrTell('[data-phase="InjectFault"][data-state="current"]', 60_000);
      const children = descendants(console_!.pid!);
      expect(children.length).toBeGreaterThan(0); // the demo instances
      const exit = new Promise<number | null>((resolve) => console_!.once('exit', (code) => resolve(code)));
      console_!.kill('SIGINT');
      const code = await Promise.race([
        exit,
        new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), 30_000)),
      ]);
      expect(code).toBe(0);
      expect(output).toContain('console stopped');
    } finally {
      clearInterval(watcher);
    }
    await expect.poll(() => [...seenPids].filter(isAlive), { timeout: 5000 }).toEqual([]);
    const running = (await ledger()).filter((r) => r.status === 'RUNNING');
    expect(running).toEqual([]);
  }, 120_000);
});
