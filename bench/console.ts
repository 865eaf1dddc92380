// Figure 8: the console page as a user first sees it — `shaketable console --local` (the compiled CLI) in a folder
// holding the shipped experiments/local files, opened in headless Chromium (@sparticuz/chromium): the bytes the page
// loads until its catalog is drawn, and the time from navigation to that first render, against a bare HTML page
// served from loopback in the same browser (medians of interleaved loads, fresh context each).
import { type ChildProcess, spawn } from 'node:child_process';
import { cp, mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import chromium from '@sparticuz/chromium';
import { type Browser, chromium as playwright } from 'playwright-core';
import { buildCli } from '../scripts/build-cli.js';
import { median } from './table.js';

const ROOT = fileURLToPath(new URL('../', import.meta.url));

export interface ConsoleBench {
  loads: number;
  experiments: number;
  /** bytes of every response the page needed up to its first render (HTML, script, stylesheet, API JSON) */
  pageBytes: number;
  requests: number;
  /** navigation start → catalog drawn (performance mark `shaketable:first-render`), median */
  firstRenderMs: number;
  /** navigation start → load event of a bare page from a loopback server, median */
  bareLoadMs: number;
}

async function startConsole(dir: string): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, [path.join(ROOT, 'bin/shaketable.js'), 'console', '--local'], {
    cwd: dir,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the console printed no URL in 20 s:\n${output}`)), 20_000);
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const found = /http:\/\/127\.0\.0\.1:\d+\/\?token=[0-9a-f]+/.exec(output);
      if (found) {
        clearTimeout(timer);
        resolve(found[0]);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the console exited (${code}):\n${output}`));
    });
  });
  return { child, url };
}

export async function benchConsole(loads: number): Promise<ConsoleBench> {
  await buildCli();
  const dir = await mkdtemp(path.join(tmpdir(), 'shaketable-bench-console-'));
  await cp(path.join(ROOT, 'experiments/local'), path.join(dir, 'experiments/local'), { recursive: true });
  const bare = createServer((_req, res) => {
    res.setHeader('content-type', 'text/html; charset=utf-8');
    res.end('<!doctype html><html lang="en"><head><title>bare</title></head><body><p>bare</p></body></html>');
  });
  await new Promise<void>((resolve) => bare.listen(0, '127.0.0.1', resolve));
  const bareUrl = `http://127.0.0.1:${(bare.address() as AddressInfo).port}/`;
  let consoleProcess: ChildProcess | undefined;
  let browser: Browser | undefined;
  try {
    const started = await startConsole(dir);
    consoleProcess = started.child;
    browser = await playwright.launch({
      executablePath: await chromium.executablePath(),
      args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'],
    });
    const firstRender: number[] = [];
    const bareLoad: number[] = [];
    let pageBytes = 0;
    let requests = 0;
    let experiments = 0;
    for (let i = 0; i < loads; i++) {
      const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'en-US' });
      const page = await context.newPage();
      const sizes: Promise<number>[] = [];
      page.on('response', (response) => sizes.push(response.body().then((body) => body.length)));
      await page.goto(started.url);
      await page.waitForSelector('body[data-rendered="catalog"]', { timeout: 30_000 });
      firstRender.push(
        await page.evaluate<number>("performance.getEntriesByName('shaketable:first-render')[0].startTime"),
      );
      const bytes = await Promise.all(sizes);
      pageBytes = bytes.reduce((a, b) => a + b, 0);
      requests = bytes.length;
      experiments = await page.locator('table[data-testid="catalog"] tbody tr').count();
      const other = await context.newPage();
      await other.goto(bareUrl, { waitUntil: 'load' });
      bareLoad.push(await other.evaluate<number>("performance.getEntriesByType('navigation')[0].loadEventEnd"));
      await context.close();
    }
    return {
      loads,
      experiments,
      pageBytes,
      requests,
      firstRenderMs: median(firstRender),
      bareLoadMs: median(bareLoad),
    };
  } finally {
    await browser?.close();
    if (consoleProcess && consoleProcess.exitCode === null) {
      const exited = new Promise((resolve) => consoleProcess?.once('exit', resolve));
      consoleProcess.kill('SIGINT');
      await exited;
    }
    await new Promise((resolve) => bare.close(resolve));
    await rm(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  process.stdout.write(`${JSON.stringify(await benchConsole(Number(process.argv[2] ?? 5)), null, 2)}\n`);
}
