// `shaketable report`: renders result.json as report.html beside it (or at --html), prints the verdict and the path,
// and refuses anything that is not a result with one line and exit 2.
import { existsSync, mkdtempSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { registerReportCommand } from '../../../cli/commands/report.js';
import { reportRenderer } from '../../../core/report/chart-library.js';

const renderReport = reportRenderer();

import { Result } from '../../../core/result/model.js';
import { MAX_RESULT_BYTES } from '../../../core/result/validate.js';
import { runCommand } from './aws/harness.js';

const PASSED = new URL('../../fixtures/results/passed.json', import.meta.url);
const unusedSessions = () => {
  throw new Error('report never opens an AWS session');
};

let cwd: string;
const report = (...argv: string[]) => runCommand([registerReportCommand], ['report', ...argv], unusedSessions, cwd);

beforeEach(() => {
  cwd = mkdtempSync(join(tmpdir(), 'shaketable-report-'));
});
afterEach(() => {
  rmSync(cwd, { recursive: true, force: true });
});

describe('shaketable report', () => {
  it('writes report.html beside the result and prints the verdict, its reasons and the path', async () => {
    writeFileSync(join(cwd, 'result.json'), readFileSync(PASSED));
    const { code, stdout, stderr } = await report('result.json');
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    const target = join(cwd, 'report.html');
    expect(stdout).toBe(
      [
        'PASSED  local-instance-loss  local-instance-loss-20260310T100000Z-4f1c',
        '  - latency_p99 held ≤ 250 ms in every phase (fault max 182.4 ms)',
        '  - errors held ≤ 0 in every phase (fault sum 0)',
        '  - healthy held ≥ 2 during the fault (min 2) and was back ≥ 3 after 2 s of recovery (bound PT15S)',
        `report: ${target}`,
        '',
      ].join('\n'),
    );
    const html = readFileSync(target, 'utf8');
    expect(html).toBe(renderReport(Result.parse(JSON.parse(readFileSync(PASSED, 'utf8')))));
    expect(html).toMatch(/^<!doctype html>/);
    expect(html).toContain('data-verdict="PASSED"');
  });

  it('prints the verdict, reasons, failed checks and report path as JSON with --json', async () => {
    const raw = JSON.parse(readFileSync(new URL('../../fixtures/results/failed.json', import.meta.url), 'utf8'));
    raw.hypothesisChecks = [
      { name: 'errors.fault.tolerance', ok: false, message: 'sum 61 > tolerance max 0' },
      { name: 'latency_p99.baseline.tolerance', ok: true, message: 'held' },
    ];
    writeFileSync(join(cwd, 'result.json'), JSON.stringify(raw));
    const { code, stdout } = await report('result.json', '--json');
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toEqual({
      runId: raw.runId,
      experiment: raw.experiment,
      verdict: 'FAILED',
      reasons: raw.reasons,
      failedChecks: [{ name: 'errors.fault.tolerance', message: 'sum 61 > tolerance max 0' }],
      report: join(cwd, 'report.html'),
    });
    const text = await report('result.json');
    expect(text.stdout).toContain('\n  - errors fault: sum 61, max 23 per minute > tolerance max 0\n');
    expect(text.stdout).toContain('\n  ✗ errors.fault.tolerance: sum 61 > tolerance max 0\n');
  });

  it('writes to --html, creating its folder', async () => {
    writeFileSync(join(cwd, 'result.json'), readFileSync(PASSED));
    const { code, stdout } = await report('result.json', '--html', 'out/page.html');
    expect(code).toBe(0);
    expect(stdout).toContain(`report: ${join(cwd, 'out/page.html')}\n`);
    expect(readFileSync(join(cwd, 'out/page.html'), 'utf8')).toContain('</html>');
    expect(existsSync(join(cwd, 'report.html'))).toBe(false);
  });

  it('refuses a JSON file that is not a result with one line naming the field, and writes nothing', async () => {
    const raw = JSON.parse(readFileSync(PASSED, 'utf8'));
    raw.verdict = 'GREEN';
    writeFileSync(join(cwd, 'result.json'), JSON.stringify(raw));
    const { code, stdout, stderr } = await report('result.json');
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toMatch(
      /^error: result\.json: not a shaketable result: verdict: .+; see schema\/result\.schema\.json\n$/,
    );
    expect(existsSync(join(cwd, 'report.html'))).toBe(false);
  });

  it('refuses a file that is not JSON and a file that does not exist, each with exit 2', async () => {
    writeFileSync(join(cwd, 'notes.txt'), 'verdict: PASSED');
    const notJson = await report('notes.txt');
    expect(notJson.code).toBe(2);
    expect(notJson.stderr).toMatch(/^error: notes\.txt: not JSON \(.+\); pass a result\.json written by a run\n$/);
    const missing = await report('nope.json');
    expect(missing).toEqual({ code: 2, stdout: '', stderr: 'error: nope.json: no such file\n' });
  });

  it('refuses a result over 10 MB, and a device, with one line and exit 2 before reading it', async () => {
    // Sparse: 10 MB + 1 byte of size without writing them.
    const big = join(cwd, 'big.json');
    writeFileSync(big, '');
    truncateSync(big, MAX_RESULT_BYTES + 1);
    expect(await report('big.json')).toEqual({
      code: 2,
      stdout: '',
      stderr: 'error: big.json: file is 10.0 MB; result files are limited to 10.0 MB\n',
    });
    expect(await report('/dev/zero')).toEqual({
      code: 2,
      stdout: '',
      stderr: 'error: /dev/zero: is a character device, not a regular file; result files are JSON written by a run\n',
    });
  });

  it('names the first wrong field of a result whose series holds a string, with exit 2', async () => {
    const raw = JSON.parse(readFileSync(PASSED, 'utf8'));
    const probe = Object.keys(raw.probes)[0]!;
    raw.probes[probe].series.fault[0][1] = 'high';
    writeFileSync(join(cwd, 'result.json'), JSON.stringify(raw));
    const { code, stdout, stderr } = await report('result.json');
    expect({ code, stdout }).toEqual({ code: 2, stdout: '' });
    expect(stderr).toMatch(
      new RegExp(
        `^error: result\\.json: not a shaketable result: probes\\.${probe}\\.series\\.fault\\.0\\.1: .+; see schema/result\\.schema\\.json\n$`,
      ),
    );
  });

  it('has help with usage and an example', async () => {
    const { code, stdout } = await report('--help');
    expect(code).toBe(0);
    expect(stdout).toContain('Usage: shaketable report [options] <result>');
    expect(stdout).toContain('--html <file>');
    expect(stdout).toContain('npx shaketable report');
  });
});
