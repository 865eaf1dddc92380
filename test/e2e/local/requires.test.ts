// Environment promotion in the sandbox (DESIGN §9 "Promotion"), end to end through the real CLI: a run whose
// guardrails.requires names an experiment is SKIPPED (exit 3, nothing injected) until that experiment has a PASSED
// run in the same ledger, and then runs (PASSED). The ledger is the folder's .shaketable/, as for any user.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { Result } from '../../../core/result/model.js';
import { killAll, SHORT_EXPERIMENT, startCli } from '../../reliability/sandbox-cli.js';

const STAGING = SHORT_EXPERIMENT.replace('name: sandbox-cli-test', 'name: checkout-staging');
const PROD = SHORT_EXPERIMENT.replace('name: sandbox-cli-test', 'name: checkout-prod').replace(
  'guardrails:\n',
  'guardrails:\n  requires:\n    - { experiment: checkout-staging, verdict: PASSED, within: PT1H }\n',
);

const dirs: string[] = [];
afterEach(killAll);
afterAll(async () => {
  await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
});

async function folder(): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'shaketable-requires-'));
  dirs.push(dir);
  await writeFile(path.join(dir, 'staging.yaml'), STAGING);
  await writeFile(path.join(dir, 'prod.yaml'), PROD);
  return dir;
}

interface Outcome {
  code: number | null;
  runId: string;
  verdict: string;
  reasons: string[];
  result: Result;
}

async function run(file: string, dir: string): Promise<Outcome> {
  const cli = startCli(['run', file, '--local', '--json'], dir);
  const { code } = await cli.exit;
  const printed = JSON.parse(cli.stdout()) as { runId: string; verdict: string; reasons: string[]; result: string };
  const result = JSON.parse(await readFile(path.join(dir, printed.result), 'utf8')) as Result;
  return { code, ...printed, result };
}

describe('guardrails.requires in the sandbox', () => {
  it('never met: SKIPPED with exit 3, naming that no run was found, nothing injected', {
    timeout: 90_000,
  }, async () => {
    expect(PROD).toContain('requires:');
    const dir = await folder();
    const prod = await run('prod.yaml', dir);
    expect(prod.code).toBe(3);
    expect(prod.verdict).toBe('SKIPPED');
    expect(prod.reasons).toEqual([
      'requires: no PASSED run of checkout-staging ended within PT1H (no run found); run checkout-staging first',
    ]);
    expect(prod.result.fis.experimentId).toBeUndefined();
    expect(prod.result.phases.fault).toBeUndefined();
  });

  it('met by an earlier PASSED run in the same ledger: the run starts and PASSES, naming that run', {
    timeout: 180_000,
  }, async () => {
    const dir = await folder();
    const staging = await run('staging.yaml', dir);
    expect(staging.verdict, staging.reasons.join('\n')).toBe('PASSED');
    expect(staging.code).toBe(0);
    const prod = await run('prod.yaml', dir);
    expect(prod.verdict, prod.reasons.join('\n')).toBe('PASSED');
    expect(prod.code).toBe(0);
    const check = prod.result.preflight.checks.find((c) => c.name === 'requires');
    expect(check).toMatchObject({ ok: true });
    expect(check?.message).toMatch(
      new RegExp(`^requires: checkout-staging run ${staging.runId} ended PASSED at \\S+, within PT1H$`),
    );
    expect(prod.result.fis.experimentId).toBeDefined();
  });
});
