// Every shipped local experiment, end to end: the real sandbox on 127.0.0.1, the real ASL, the real steps. Each
// must reach the verdict it demonstrates (DESIGN §8), and leave no process behind. `npm test` runs this file in a
// second pass, alone: its latency bounds are real measurements, which the rest of the suite on two shared cores
// would otherwise disturb (the demo system itself answers in ~10 ms at p99).
import { mkdtempSync, rmSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { formatProgress, formatVerdict } from '../../../cli/commands/run.js';
import type { Verdict } from '../../../core/experiment/schema.js';
import { loadExperiment } from '../../../core/experiment/validate.js';
import { FileKillSwitch } from '../../../local/files/kill-switch.js';
import { type ProgressLine, runLocal } from '../../../local/runner.js';

const base = mkdtempSync(join(tmpdir(), 'shaketable-e2e-'));
afterAll(() => rmSync(base, { recursive: true, force: true }));

const EXPECTED: Array<[string, Verdict]> = [
  ['local-instance-loss', 'PASSED'],
  ['local-latency-degraded', 'DEGRADED'],
  ['local-latency-detected', 'PASSED'],
  ['local-slow-recovery', 'DEGRADED'],
  ['local-error-burst', 'FAILED'],
  ['local-blackout', 'SKIPPED'],
  ['local-blast-radius', 'SKIPPED'],
  ['local-unhealthy-baseline', 'INCONCLUSIVE'],
];

/**
 * The shape of the CLI's output: numbers, addresses and paths blanked, repeated probe lines counted once, so a real
 * run and the README's sample compare while their measurements differ.
 */
function shape(text: string): string[] {
  const blank = text
    .trimEnd()
    .split('\n')
    .map((line) =>
      line
        .replace(/http:\/\/127\.0\.0\.1:\d+\//g, 'URL')
        .replace(/^(result|report)( +)\S+$/, '$1$2PATH')
        .replace(/-?\d+(\.\d+)?/g, '#'),
    );
  return blank.filter((line, i) => !(line.startsWith('    ') && line === blank[i - 1]));
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ESRCH') return false;
    throw error;
  }
}

async function run(name: string, baseDir: string, onProgress?: (line: ProgressLine) => void) {
  const experiment = await loadExperiment(`experiments/local/${name}.yaml`, (p) => readFile(p));
  return runLocal(experiment, { baseDir, ...(onProgress ? { onProgress } : {}) });
}

describe('the shipped local experiments', () => {
  it.each(EXPECTED)('%s ends %s and leaves no process running', { timeout: 90_000 }, async (name, verdict) => {
    const outcome = await run(name, join(base, name));
    expect(outcome.result.verdict, outcome.result.reasons.join('\n')).toBe(verdict);
    expect(outcome.result.reasons.length).toBeGreaterThan(0);
    expect(outcome.childPids.length).toBeGreaterThan(0);
    expect(outcome.childPids.filter(alive)).toEqual([]);
    const html = await readFile(new URL(outcome.reportUri), 'utf8');
    expect(html).toContain(`data-verdict="${verdict}"`);
  });

  it('measures time-to-detect from a local alarm, and is DEGRADED naming detection when the alarm is set too high', {
    timeout: 180_000,
  }, async () => {
    const experiment = await loadExperiment('experiments/local/local-latency-detected.yaml', (p) => readFile(p));
    const detected = await runLocal(experiment, { baseDir: join(base, 'detected') });
    expect(detected.result.verdict, detected.result.reasons.join('\n')).toBe('PASSED');
    expect(detected.result.response?.detectedBy).toBe('p99_slow');
    expect(detected.result.response?.ttdSeconds).toBeGreaterThanOrEqual(0);
    expect(detected.result.response?.ttdSeconds).toBeLessThanOrEqual(5);
    const html = await readFile(new URL(detected.reportUri), 'utf8');
    expect(html).toContain('data-marker="detection"');

    const local = experiment.local!;
    const tooHigh = { ...local.alarms!['p99_slow']!, max: 100_000 };
    const deaf = { ...experiment, local: { ...local, alarms: { ...local.alarms, p99_slow: tooHigh } } };
    const missed = await runLocal(deaf, { baseDir: join(base, 'missed') });
    expect(missed.result.verdict, missed.result.reasons.join('\n')).toBe('DEGRADED');
    expect(missed.result.reasons).toEqual(['detect: no alarm of p99_slow went to ALARM within PT5S']);
    expect(missed.result.response).toMatchObject({ detectedBy: null, ttdSeconds: null });
  });

  it("prints what README's demo sample shows, line for line in shape", { timeout: 90_000 }, async () => {
    const readme = await readFile('README.md', 'utf8');
    const sample = /```text\n(shaketable run local-instance-loss \(local sandbox\)\n[\s\S]*?)```/.exec(readme)?.[1];
    expect(sample, 'README.md has the demo sample').toBeDefined();
    const lines = ['shaketable run local-instance-loss (local sandbox)'];
    const experiment = await loadExperiment('experiments/local/local-instance-loss.yaml', (p) => readFile(p));
    const outcome = await runLocal(experiment, {
      baseDir: join(base, 'readme'),
      onProgress: (line) => lines.push(formatProgress(line, false)),
    });
    const paths = { result: 'RESULT', report: 'REPORT' };
    const real = `${lines.join('\n')}\n${formatVerdict(outcome.result, paths, false)}`;
    expect(shape(real)).toEqual(shape(sample!));
  });

  it('--dry-run checks preflight and the baseline and injects nothing (SKIPPED)', { timeout: 90_000 }, async () => {
    const experiment = await loadExperiment('experiments/local/local-instance-loss.yaml', (p) => readFile(p));
    const progress: string[] = [];
    const outcome = await runLocal(experiment, {
      baseDir: join(base, 'dry-run'),
      dryRun: true,
      onProgress: (line) => {
        if (line.kind === 'phase') progress.push(line.state);
      },
    });
    expect(outcome.result.verdict).toBe('SKIPPED');
    expect(outcome.result.reasons.join('\n')).toContain('dry run');
    expect(outcome.result.fis.experimentId).toBeUndefined();
    expect(outcome.result.preflight.checks.every((c) => c.ok)).toBe(true);
    expect(progress).not.toContain('InjectFault');
    expect(outcome.childPids.filter(alive)).toEqual([]);
  });

  it('is SKIPPED by the sandbox kill switch, injecting nothing', { timeout: 90_000 }, async () => {
    const baseDir = join(base, 'halted');
    await new FileKillSwitch(baseDir).set(true, 'game day paused');
    const progress: string[] = [];
    const outcome = await run('local-instance-loss', baseDir, (line) => {
      if ('message' in line) progress.push(line.message);
    });
    expect(outcome.result.verdict).toBe('SKIPPED');
    expect(outcome.result.reasons.join('\n')).toMatch(/game day paused/);
    expect(outcome.result.reasons.join('\n')).toContain('clear it with `npx shaketable resume --local`');
    expect(outcome.result.fis.experimentId).toBeUndefined();
    // checked before the warm-up: the refusal does not wait for baseline data it will never use
    expect(progress).toContain('kill switch on: no warm-up, Preflight will refuse the run');
    expect(progress.filter((m) => m.startsWith('warming up'))).toEqual([]);
  });
});
