// `shaketable run --local` as an operator uses it, through the real CLI: Ctrl-C (SIGINT) or SIGTERM in each phase
// ends the run INCONCLUSIVE with one line and exit 130, leaves no process, lock or pid file, and the next run works;
// two runs of one experiment started 3 s apart never inject together.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Result } from '../../core/result/model.js';
import { allGone, experimentFolder, filesIn, killAll, ledgerRuns, sandboxChildren, startCli } from './sandbox-cli.js';

afterEach(killAll);

async function resultOf(uri: string): Promise<Result> {
  return JSON.parse(await readFile(fileURLToPath(uri), 'utf8')) as Result;
}

/** Where a signal lands: the progress line that opens the phase, and the phase the stop line names. */
// The Baseline state only reads the window measured during warm-up: it lasts milliseconds, so a signal sent when it
// is announced may land once the fault is starting; the stop line must then say so.
const PHASES = [
  { phase: 'warm-up', line: /warming up until/, delayMs: 300, named: 'warm-up' },
  { phase: 'baseline', line: /> Baseline:/, delayMs: 0, named: '(baseline|fault)' },
  { phase: 'fault', line: /> InjectFault:/, delayMs: 800, named: 'fault' },
  { phase: 'recovery', line: /> WaitForRecovery:/, delayMs: 800, named: 'recovery' },
] as const;

const CASES = PHASES.flatMap((phase) => (['SIGINT', 'SIGTERM'] as const).map((signal) => ({ ...phase, signal })));

// One folder for every case, in order: each run after the first proves the previous one left it usable (a lock
// still held, a halt or a stale pid file would make it SKIPPED or fail before the phase it waits for).
describe.sequential('a local run stopped by a signal', () => {
  let folder: Awaited<ReturnType<typeof experimentFolder>>;
  beforeAll(async () => {
    folder = await experimentFolder('signals');
  });
  afterAll(() => folder.remove());

  it.each(CASES)(
    '$signal during $phase: one line, exit 130, INCONCLUSIVE where a run started, nothing left',
    {
      timeout: 90_000,
    },
    async ({ phase, line, delayMs, named, signal }) => {
      const before = new Set((await ledgerRuns(folder.dir)).map((r) => r.runId));
      const cli = startCli(['run', folder.file, '--local'], folder.dir);
      await cli.waitFor(line, 60_000);
      const children = await sandboxChildren(folder.dir, cli.child.pid!);
      expect(children.length).toBeGreaterThan(0);
      // Into the phase, not on its first instant.
      await new Promise((resolve) => setTimeout(resolve, delayMs));
      cli.child.kill(signal);
      const exit = await cli.exit;

      expect(exit).toEqual({ code: 130, signal: null });
      const stderr = cli.stderr().trim().split('\n');
      expect(stderr, cli.stderr()).toHaveLength(1);
      expect(stderr[0]).toMatch(new RegExp(`^stopped by the operator \\(${signal}\\) during ${named}`));
      expect(cli.stderr()).not.toMatch(/\n\s+at /);

      const runs = (await ledgerRuns(folder.dir)).filter((r) => !before.has(r.runId));
      if (phase === 'warm-up') {
        expect(stderr[0]).toMatch(/no run had started/);
        expect(runs).toEqual([]);
      } else {
        expect(runs).toHaveLength(1);
        const run = runs[0]!;
        expect(run).toMatchObject({ status: 'DONE', verdict: 'INCONCLUSIVE' });
        const result = await resultOf(run.resultUri!);
        expect(result.verdict).toBe('INCONCLUSIVE');
        expect(result.reasons.join('\n')).toMatch(
          new RegExp(`stopped by the operator \\(${signal}\\) during the ${named}`),
        );
        expect(stderr[0]).toContain(`run ${run.runId} INCONCLUSIVE`);
        expect(stderr[0]).toContain(path.join('.shaketable', 'runs'));
        if (phase === 'fault' || phase === 'recovery') expect(result.fis.experimentId).toBeDefined();
      }
      expect(await allGone(children, 5000)).toEqual([]);
      expect(await filesIn(path.join(folder.dir, '.shaketable', 'locks'))).toEqual([]);
      expect(await filesIn(path.join(folder.dir, '.shaketable', 'pids'))).toEqual([]);
    },
  );

  it('lets the next run in the same folder take the lock, inject and finish', { timeout: 120_000 }, async () => {
    const cli = startCli(['run', folder.file, '--local', '--json'], folder.dir);
    const exit = await cli.exit;
    const outcome = JSON.parse(cli.stdout()) as { runId: string; verdict: string; result: string };
    expect(outcome.verdict, cli.stderr()).not.toMatch(/SKIPPED|ERROR/);
    expect([0, 1, 4]).toContain(exit.code);
    const result = JSON.parse(await readFile(path.join(folder.dir, outcome.result), 'utf8')) as Result;
    expect(result.preflight.checks.find((c) => c.name === 'lock')).toMatchObject({ ok: true });
    expect(result.fis.experimentId).toBeDefined();
    expect(await filesIn(path.join(folder.dir, '.shaketable', 'locks'))).toEqual([]);
  });
});

describe('two runs of one experiment started 3 s apart', () => {
  it('inject once: the other is SKIPPED naming the lock, and no lock file remains', { timeout: 120_000 }, async () => {
    const folder = await experimentFolder('lock');
    try {
      const first = startCli(['run', folder.file, '--local', '--json'], folder.dir);
      await new Promise((resolve) => setTimeout(resolve, 3000));
      const second = startCli(['run', folder.file, '--local', '--json'], folder.dir);
      const [a, b] = await Promise.all([first.exit, second.exit]);
      const outcomes = [first, second].map((cli) => JSON.parse(cli.stdout()) as { runId: string; result: string });
      const results = await Promise.all(
        outcomes.map(async (o) => JSON.parse(await readFile(path.join(folder.dir, o.result), 'utf8')) as Result),
      );
      const injected = results.filter((r) => r.fis.experimentId !== undefined);
      const skipped = results.filter((r) => r.verdict === 'SKIPPED');
      expect(injected, results.map((r) => `${r.verdict}: ${r.reasons.join('; ')}`).join('\n')).toHaveLength(1);
      expect(skipped).toHaveLength(1);
      expect(skipped[0]!.reasons.join('\n')).toMatch(new RegExp(`lock: .*locked by run ${injected[0]!.runId}`));
      expect(skipped[0]!.fis.experimentId).toBeUndefined();
      const codes = results[0] === skipped[0] ? [a.code, b.code] : [b.code, a.code];
      expect(codes[0]).toBe(3); // SKIPPED
      expect(await filesIn(path.join(folder.dir, '.shaketable', 'locks'))).toEqual([]);
      expect(await filesIn(path.join(folder.dir, '.shaketable', 'pids'))).toEqual([]);
      expect((await ledgerRuns(folder.dir)).every((r) => r.status === 'DONE')).toBe(true);
    } finally {
      await folder.remove();
    }
  });
});

describe('a local run whose reader goes away (| head -3)', () => {
  it('runs to its end: no EPIPE stack, its verdict exit code, no RUNNING entry, lock or pid file', {
    timeout: 120_000,
  }, async () => {
    const folder = await experimentFolder('epipe');
    try {
      const cli = startCli(['run', folder.file, '--local'], folder.dir);
      await cli.waitFor(/warming up until/, 60_000);
      cli.child.stdout?.destroy(); // the read end closes, as when head has its three lines
      const exit = await cli.exit;
      expect(cli.stderr()).not.toMatch(/EPIPE|\n\s+at /);
      const runs = await ledgerRuns(folder.dir);
      expect(runs).toHaveLength(1);
      expect(runs[0]).toMatchObject({ status: 'DONE' });
      const verdictCode: Record<string, number> = { PASSED: 0, DEGRADED: 1, FAILED: 1, SKIPPED: 3 };
      expect(exit.code).toBe(verdictCode[runs[0]!.verdict!] ?? 4);
      expect(await filesIn(path.join(folder.dir, '.shaketable', 'locks'))).toEqual([]);
      expect(await filesIn(path.join(folder.dir, '.shaketable', 'pids'))).toEqual([]);
    } finally {
      await folder.remove();
    }
  });
});
