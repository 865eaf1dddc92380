// The real SDK credential chain with nothing to find: no keys, no profile files, the instance metadata service
// disabled (so nothing leaves this machine). The command must say so in one line and exit 2.
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { defaultSessionFactory } from '../../../../cli/aws/options.js';
import { registerHistoryCommand } from '../../../../cli/commands/history.js';
import { registerStatusCommand } from '../../../../cli/commands/status.js';
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

  it('exits 2 with one line when no credentials can be found', async () => {
    const { code, stdout, stderr } = await runCommand(
      [registerStatusCommand],
      ['status', '20260310T100000-abc123', '--region', 'eu-central-1'],
      defaultSessionFactory,
    );
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toMatch(/^error: no AWS credentials found: set AWS_PROFILE [^\n]*\n$/);
  });

  it('exits 2 with one line when no region is configured', async () => {
    const { code, stderr } = await runCommand(
      [registerHistoryCommand],
      ['history', 'checkout-instance-loss'],
      defaultSessionFactory,
    );
    expect(code).toBe(2);
    expect(stderr).toBe('error: no AWS region: pass --region, or set AWS_REGION or a region in your AWS profile\n');
  });
});
