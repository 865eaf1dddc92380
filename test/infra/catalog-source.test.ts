// Reading the catalog to deploy: top-level *.yaml only, local experiments skipped, and an invalid catalog
// stopping synth with the validate-style lines and exit code 2.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import { afterAll, describe, expect, it } from 'vitest';
import { CatalogInvalidError, CatalogNotFoundError, readCatalog } from '../../infra/catalog-source.js';
import { permissionsFor, UnknownFisActionError } from '../../infra/fis-permissions.js';
import { FIXTURES, synthCatalog } from './synth.js';

const ROOT = join(import.meta.dirname, '..', '..');
const outdirs: string[] = [];
afterAll(() => {
  for (const dir of outdirs) rmSync(dir, { recursive: true, force: true });
});

describe('readCatalog', () => {
  it('deploys the top-level files only and skips provider: local', () => {
    const names = readCatalog(join(FIXTURES, 'catalog-basic')).map((c) => c.experiment.name);
    // local/not-deployed.yaml is not YAML an experiment could be: reading it would have failed validation.
    expect(names).toEqual(['checkout-instance-loss', 'orders-db-failover']);
  });

  it('refuses an invalid catalog with every issue as file:line:col  path  message', () => {
    const dir = join(FIXTURES, 'catalog-invalid');
    let error: unknown;
    try {
      readCatalog(dir);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(CatalogInvalidError);
    const lines = (error as Error).message.split('\n');
    const file = join(dir, 'too-many-stops.yaml');
    expect(lines).toContain(
      `${file}:6:1  colour  unknown key "colour" (allowed: version, provider, name, description, owner, runbook, tags, hypothesis, local, fault, schedule, guardrails, steadyState, expect, notify)`,
    );
    expect(
      lines.some((l) => l.startsWith(`${file}:`) && l.includes('fault.template.stopConditions  6 stop conditions')),
    ).toBe(true);
  });

  it('refuses unfinished REPLACE-ME placeholders with the validate-style line of each', () => {
    const dir = join(FIXTURES, 'catalog-placeholders');
    const file = join(dir, 'unfinished-instance-loss.yaml');
    expect(() => readCatalog(dir)).toThrow(CatalogInvalidError);
    expect(() => readCatalog(dir)).toThrow(
      `${file}:20:25  fault.template.targets.instances.resourceTags.app  unfinished placeholder "REPLACE-ME-app": put your value here (the line's "# EDIT:" note says which)`,
    );
  });

  it('names a missing catalog folder', () => {
    expect(() => readCatalog(join(FIXTURES, 'no-such-catalog'))).toThrow(CatalogNotFoundError);
  });

  // validate refuses an unknown action first (rule fis-action-id), at the actionId's line: synth reads the catalog
  // through validate, so it stops with that same line before compiling a role.
  it('refuses an FIS action it has no permissions for, naming the file and the action', () => {
    const dir = join(FIXTURES, 'catalog-unknown-action');
    const line = `${join(dir, 'mystery.yaml')}:11:14  fault.template.actions.odd.actionId  unknown FIS action "aws:ec2:levitate-instances" (did you mean aws:ec2:terminate-instances?)`;
    expect(() => readCatalog(dir)).toThrow(CatalogInvalidError);
    expect(() => synthCatalog(dir)).toThrow(CatalogInvalidError);
    expect(() => synthCatalog(dir)).toThrow(line);
    // A catalog compiled without validate gets the same message from the role compiler, without the position.
    expect(() =>
      permissionsFor(new Stack(new App(), 'S'), 'mystery.yaml', 'odd', 'aws:ec2:levitate-instances', []),
    ).toThrow(new UnknownFisActionError('mystery.yaml', 'odd', 'aws:ec2:levitate-instances').message);
    expect(new UnknownFisActionError('mystery.yaml', 'odd', 'aws:ec2:levitate-instances').message).toBe(
      'mystery.yaml  fault.template.actions.odd.actionId  unknown FIS action "aws:ec2:levitate-instances" (did you mean aws:ec2:terminate-instances?)',
    );
  });
});

describe('the CDK app', () => {
  // As `cdk synth` runs it: cdk.json's context plus -c flags, without AWS credentials; bundling skipped for speed.
  const cdkJsonContext = JSON.parse(readFileSync(join(ROOT, 'cdk.json'), 'utf8')).context as Record<string, unknown>;
  const runApp = (context: Record<string, unknown>) => {
    const outdir = mkdtempSync(join(tmpdir(), 'shaketable-app-'));
    outdirs.push(outdir);
    const result = spawnSync(process.execPath, ['--import', 'tsx', 'infra/app.ts'], {
      cwd: ROOT,
      encoding: 'utf8',
      timeout: 120_000,
      env: {
        ...process.env,
        AWS_ACCESS_KEY_ID: '',
        AWS_SECRET_ACCESS_KEY: '',
        AWS_PROFILE: '',
        CDK_OUTDIR: outdir,
        CDK_CONTEXT_JSON: JSON.stringify({ ...cdkJsonContext, ...context, 'aws:cdk:bundling-stacks': [] }),
      },
    });
    return { ...result, outdir };
  };

  it('synthesizes the stack under the name given with -c stackName, with stable export names', () => {
    const result = runApp({ stackName: 'Chaos', catalog: 'test/fixtures/catalog-basic' });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    const template = JSON.parse(readFileSync(join(result.outdir, 'Chaos.template.json'), 'utf8'));
    expect(template.Outputs.StateMachineArn.Export.Name).toBe('Chaos-StateMachineArn');
    const machines = Object.values(
      template.Resources as Record<string, { Type: string; Properties: { StateMachineName?: string } }>,
    ).filter((r) => r.Type === 'AWS::StepFunctions::StateMachine');
    expect(machines.map((m) => m.Properties.StateMachineName)).toEqual(['Chaos-experiment']);
  });

  it('exits 2 with the validate-style lines and no stack trace when the catalog is invalid', () => {
    const result = runApp({ catalog: 'test/fixtures/catalog-invalid' });
    expect(result.status).toBe(2);
    expect(result.stderr).toContain(
      'test/fixtures/catalog-invalid/too-many-stops.yaml:6:1  colour  unknown key "colour"',
    );
    expect(result.stderr).toContain('6 stop conditions (5 listed + 1 from guardrails.abortWhen); FIS allows at most 5');
    expect(result.stderr).not.toMatch(/\n\s+at /);
    expect(result.stdout).toBe('');
  });

  it('exits 2 with validate\u2019s line for an unknown FIS action, as `shaketable validate` prints it', () => {
    const result = runApp({ catalog: 'test/fixtures/catalog-unknown-action' });
    expect(result.status).toBe(2);
    expect(result.stderr).toBe(
      'test/fixtures/catalog-unknown-action/mystery.yaml:11:14  fault.template.actions.odd.actionId  unknown FIS action "aws:ec2:levitate-instances" (did you mean aws:ec2:terminate-instances?)\n',
    );
    expect(result.stdout).toBe('');
  });

  it('exits 2 on a catalog file with unfinished placeholders, as validate --strict does', () => {
    const result = runApp({ catalog: 'test/fixtures/catalog-placeholders' });
    expect(result.status).toBe(2);
    expect(result.stderr).toContain(
      'test/fixtures/catalog-placeholders/unfinished-instance-loss.yaml:28:23  fault.template.stopConditions[0]  unfinished placeholder "REPLACE-ME-5xx-alarm"',
    );
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });
});
