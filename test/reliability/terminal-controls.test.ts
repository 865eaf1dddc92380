// Control characters in the files `report` and `scorecard` read (result.json, the ledger, file names) reach the
// terminal escaped: `\x1b[2J` in an experiment name is printed as the six characters `\x1b[2J`, never obeyed
// (clear the screen, move the cursor, fake a colour, ring the bell). Only the commands' own newlines remain.
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../../cli/main.js';
import { escapeControls } from '../../core/report/format.js';
import { FileRunLedger } from '../../local/files/ledger.js';

const FIXTURE = path.join(import.meta.dirname, '..', 'fixtures', 'results', 'passed.json');
/** Clear screen, red, bell, a C1 CSI, DEL, a carriage return and a newline: what a hostile name may hold. */
const HOSTILE = 'evil\x1b[2J\x1b[31m\x07\u009b1;1H\x7f\rfake line\nPASSED';
/** Any control character except the newline a command's own layout uses. */
const CONTROL = /[^\P{Cc}\n]/u;

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'shaketable-controls-'));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

async function cli(...argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(argv, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t) }, dir);
  return { code, stdout, stderr };
}

describe('escapeControls', () => {
  it('writes every C0, DEL and C1 control as \\xNN and keeps only what it is told to', () => {
    expect(escapeControls(HOSTILE)).toBe('evil\\x1b[2J\\x1b[31m\\x07\\x9b1;1H\\x7f\\x0dfake line\\x0aPASSED');
    expect(escapeControls('a\nb\tc', '\n')).toBe('a\nb\\x09c');
    expect(escapeControls('plain — ünïcödé ✓')).toBe('plain — ünïcödé ✓');
  });
});

describe('report', () => {
  it('prints a hostile experiment name from result.json escaped', async () => {
    const result = JSON.parse(await readFile(FIXTURE, 'utf8'));
    result.experiment = HOSTILE;
    await writeFile(path.join(dir, 'result.json'), JSON.stringify(result));
    const { code, stdout, stderr } = await cli('report', 'result.json');
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    expect(stdout).not.toMatch(CONTROL);
    expect(stdout.split('\n')[0]).toBe(`PASSED  ${escapeControls(HOSTILE)}  ${result.runId}`);
  });

  it('prints a refusal that quotes a hostile key escaped, on one line, exit 2', async () => {
    const result = JSON.parse(await readFile(FIXTURE, 'utf8'));
    result.probes = { [HOSTILE]: 'not a probe' };
    await writeFile(path.join(dir, 'result.json'), JSON.stringify(result));
    const { code, stdout, stderr } = await cli('report', 'result.json');
    expect({ code, stdout }).toEqual({ code: 2, stdout: '' });
    expect(stderr).not.toMatch(CONTROL);
    expect(stderr.split('\n').filter(Boolean)).toHaveLength(1);
    expect(stderr).toContain('evil\\x1b[2J\\x1b[31m');
  });
});

describe('scorecard --local', () => {
  it('prints hostile names from the ledger, and a hostile stray file name, escaped', async () => {
    const base = path.join(dir, '.shaketable');
    const ledger = new FileRunLedger(base);
    await ledger.putRun({
      runId: 'hostile-1',
      experiment: HOSTILE,
      status: 'DONE',
      startedAt: new Date(Date.now() - 3_600_000).toISOString(),
      verdict: 'PASSED',
    });
    await mkdir(path.join(base, 'ledger'), { recursive: true });
    await writeFile(path.join(base, 'ledger', 'stray\x1b[2J.txt'), 'x');

    const { code, stdout, stderr } = await cli('scorecard', '--local');
    expect(code).toBe(0);
    expect(stdout).not.toMatch(CONTROL);
    expect(stderr).not.toMatch(CONTROL);
    expect(stdout).toContain(`${escapeControls(HOSTILE)} (not in catalog)`);
    expect(stderr).toContain('stray\\x1b[2J.txt is not a run entry');
    // JSON needs no help: JSON.stringify escapes controls itself, and the name comes back intact.
    const json = await cli('scorecard', '--local', '--json');
    expect(json.stdout).not.toMatch(CONTROL);
    expect(JSON.parse(json.stdout).experiments.map((e: { experiment: string }) => e.experiment)).toContain(HOSTILE);
  });
});
