// The real CLI (bin/shaketable.js) run as a child process in a folder of its own, for the sandbox reliability tests:
// its output as it comes, a wait for a line with a bound, and its exit. Every child is SIGKILLed by `killAll`.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { RunRecord } from '../../core/ports.js';
import { isAlive } from '../../local/files/pids.js';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const CLI = path.join(ROOT, 'bin/shaketable.js');

/**
 * A short local experiment whose phases each last a few seconds, so that a signal can land in each: a latency fault
 * that runs for 4 s (InjectFault waits for it), then 5 s of recovery. Loose bounds: these tests are about what
 * happens around the run, not its verdict.
 */
export const SHORT_EXPERIMENT = `version: 1
provider: local
name: sandbox-cli-test
description: A short run whose phases a signal can land in.
owner: tests
hypothesis: Adding 20 ms to half the requests keeps p99 under 2 s.
local:
  instances: 2
  rps: 10
fault:
  template:
    targets:
      web: { resourceType: local:instance, selectionMode: ALL }
    actions:
      slow: { actionId: local:network:latency, parameters: { delayMilliseconds: "20", percent: "50", duration: PT4S }, targets: { Instances: web } }
  observe: PT4S
  maxDuration: PT30S
guardrails:
  allowNoStopCondition: true
steadyState:
  baseline: PT3S
  period: PT1S
  probes:
    latency_p99: { metric: { namespace: Local/Demo, name: Latency, stat: p99 }, tolerance: { max: 2000 } }
expect:
  recovery: PT5S
`;

export interface CliProcess {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  /** resolves once stdout+stderr hold a line matching `pattern`; rejects after `timeoutMs` or if the CLI exits first */
  waitFor(pattern: RegExp, timeoutMs: number): Promise<void>;
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

const started: ChildProcess[] = [];

export function startCli(args: string[], cwd: string, options: { stdout?: 'pipe' | 'ignore' } = {}): CliProcess {
  const child = spawn(process.execPath, [CLI, ...args], {
    cwd,
    stdio: ['ignore', options.stdout ?? 'pipe', 'pipe'],
    env: { ...process.env, NO_COLOR: '1', CI: '' },
  });
  started.push(child);
  let out = '';
  let err = '';
  const waiters: Array<() => void> = [];
  const onData = () => {
    for (const check of waiters.slice()) check();
  };
  child.stdout?.on('data', (chunk: Buffer) => {
    out += chunk.toString();
    onData();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    err += chunk.toString();
    onData();
  });
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  return {
    child,
    stdout: () => out,
    stderr: () => err,
    exit,
    waitFor(pattern, timeoutMs) {
      return new Promise<void>((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`no line matching ${pattern} within ${timeoutMs} ms:\n${out}\n${err}`)),
          timeoutMs,
        );
        const check = () => {
          if (pattern.test(out) || pattern.test(err)) {
            clearTimeout(timer);
            waiters.splice(waiters.indexOf(check), 1);
            resolve();
          }
        };
        waiters.push(check);
        void exit.then(() => {
          if (waiters.includes(check)) {
            clearTimeout(timer);
            waiters.splice(waiters.indexOf(check), 1);
            reject(new Error(`the CLI exited before a line matching ${pattern}:\n${out}\n${err}`));
          }
        });
        check();
      });
    },
  };
}

/** SIGKILLs every CLI process started and not yet ended. */
export function killAll(): void {
  for (const child of started.splice(0)) {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }
}

export async function experimentFolder(
  prefix: string,
): Promise<{ dir: string; file: string; remove(): Promise<void> }> {
  const dir = await mkdtemp(path.join(tmpdir(), `shaketable-${prefix}-`));
  const file = path.join(dir, 'short.yaml');
  await writeFile(file, SHORT_EXPERIMENT);
  return { dir, file, remove: () => rm(dir, { recursive: true, force: true }) };
}

/** Files in a folder, [] when it does not exist. */
export async function filesIn(dir: string): Promise<string[]> {
  try {
    return (await readdir(dir)).sort();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
}

export async function ledgerRuns(dir: string): Promise<RunRecord[]> {
  const ledger = path.join(dir, '.shaketable', 'ledger');
  return Promise.all(
    (await filesIn(ledger)).map(
      async (name) => JSON.parse(await readFile(path.join(ledger, name), 'utf8')) as RunRecord,
    ),
  );
}

/** The instance pids the running CLI's sandbox lists in its pid file. */
export async function sandboxChildren(dir: string, owner: number): Promise<number[]> {
  const file = path.join(dir, '.shaketable', 'pids', `${owner}.json`);
  return (JSON.parse(await readFile(file, 'utf8')) as { children: number[] }).children;
}

export async function allGone(pids: number[], timeoutMs: number): Promise<number[]> {
  const deadline = Date.now() + timeoutMs;
  while (pids.some(isAlive) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
  return pids.filter(isAlive);
}
