// The real SDK credential chain with nothing to find: no keys, no profile files, the instance metadata service
// disabled (so nothing leaves this machine). The command must say so in one line and exit 2.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { defaultSessionFactory } from '../../../../cli/aws/options.js';
import { registerHistoryCommand } from '../../../../cli/commands/history.js';
import { registerStatusCommand } from '../../../../cli/commands/status.js';
import { createProgram } from '../../../../cli/main.js';
import { runCommand } from './harness.js';

const AWS_VARIABLES = /^AWS_/;

describe('AWS commands without credentials or region', () => {
  let saved: NodeJS.ProcessEnv;
  beforeEach(() => {
    saved = { ...process.env };
    for (const key of Object.keys(process.env)) if (AWS_VARIABLES.test(key)) delete process.env[key];
    const nowhere = join('/nonexistent', 'shaketable-test');
    process.env.AWS_CONFIG_FILE = join(nowhere, 'config');
    process.env.AWS_SHARED_CREDENTIALS_FILE = join(nowhere, 'credentials');
    process.env.AWS_EC2_METADATA_DISABLED = 'true';
  });
  afterEach(() => {
    process.env = saved;
  });

  it('exits 5 with one line when no credentials can be found', async () => {
    const { code, stdout, stderr } = await runCommand(
      [registerStatusCommand],
      ['status', '20260310T100000-abc123', '--region', 'eu-central-1'],
      defaultSessionFactory,
    );
    expect(code).toBe(5);
    expect(stdout).toBe('');
    expect(stderr).toMatch(/^error: no AWS credentials found: set AWS_PROFILE [^\n]*\n$/);
  });

  it('exits 5 with one line when no region is configured', async () => {
    const { code, stderr } = await runCommand(
      [registerHistoryCommand],
      ['history', 'checkout-instance-loss'],
      defaultSessionFactory,
    );
    expect(code).toBe(5);
    expect(stderr).toBe(
      'error: no AWS region: pass --region, or set AWS_REGION (or AWS_DEFAULT_REGION) or a region in your AWS profile\n',
    );
  });
});

describe('AWS CLI habits', () => {
  let saved: NodeJS.ProcessEnv;
  let dir: string;
  beforeEach(() => {
    saved = { ...process.env };
    for (const key of Object.keys(process.env)) if (AWS_VARIABLES.test(key)) delete process.env[key];
    dir = mkdtempSync(join(tmpdir(), 'shaketable-profile-'));
    writeFileSync(join(dir, 'config'), '[default]\nregion = us-east-1\n\n[profile chaos]\nregion = ap-southeast-2\n');
    writeFileSync(
      join(dir, 'credentials'),
      '[default]\naws_access_key_id = AKIADEFAULT\naws_secret_access_key = default\n\n[chaos]\naws_access_key_id = AKIACHAOS\naws_secret_access_key = chaos\n',
    );
    process.env.AWS_CONFIG_FILE = join(dir, 'config');
    process.env.AWS_SHARED_CREDENTIALS_FILE = join(dir, 'credentials');
    process.env.AWS_EC2_METADATA_DISABLED = 'true';
  });
  afterEach(() => {
    process.env = saved;
    rmSync(dir, { recursive: true, force: true });
  });

  it("--profile picks that profile's credentials and region through the SDK default chain", async () => {
    const session = await defaultSessionFactory({ profile: 'chaos' });
    expect(await session.region()).toBe('ap-southeast-2');
    const credentials = await session.client('sts').config.credentials();
    expect(credentials.accessKeyId).toBe('AKIACHAOS');
  });

  it('without --profile the default profile is used', async () => {
    const session = await defaultSessionFactory({});
    expect(await session.region()).toBe('us-east-1');
    expect((await session.client('sts').config.credentials()).accessKeyId).toBe('AKIADEFAULT');
  });

  it('honours AWS_DEFAULT_REGION over the profile region, AWS_REGION over both, and --region over all', async () => {
    process.env.AWS_DEFAULT_REGION = 'eu-west-3';
    expect(await (await defaultSessionFactory({ profile: 'chaos' })).region()).toBe('eu-west-3');
    process.env.AWS_REGION = 'eu-north-1';
    expect(await (await defaultSessionFactory({ profile: 'chaos' })).region()).toBe('eu-north-1');
    expect(await (await defaultSessionFactory({ region: 'sa-east-1' })).region()).toBe('sa-east-1');
  });

  it('offers --profile and --region on every command that talks to AWS', () => {
    const program = createProgram({ io: { stdout: () => {}, stderr: () => {} }, cwd: process.cwd(), exitCode: 0 });
    const aws = program.commands.filter((c) => c.options.some((o) => o.long === '--region'));
    expect(aws.map((c) => c.name()).sort()).toEqual(
      expect.arrayContaining([
        'approve',
        'halt',
        'history',
        'preflight',
        'reject',
        'resume',
        'run',
        'scorecard',
        'status',
      ]),
    );
    for (const command of aws)
      expect(
        command.options.map((o) => o.long),
        command.name(),
      ).toContain('--profile');
  });
});
