// What every AWS command shares without loading the AWS SDK: its --stack/--region/--profile options and how it gets a
// session. The session (and the SDK behind it) is imported only when a command talks to AWS, so `--help`,
// `validate` and the sandbox start without it.
import type { Command } from 'commander';
import type { AwsSession } from './session.js';

export const DEFAULT_STACK = 'Shaketable';

/** The kill-switch parameter and catalog prefix have fixed names (DESIGN §4, §7), like the Lambda defaults. */
export const HALT_PARAMETER = '/shaketable/halt';
export const CATALOG_PREFIX = '/shaketable/catalog';

export interface AwsOptions {
  /** CloudFormation stack name (default `Shaketable`) */
  stack?: string;
  /** AWS region; the SDK default chain (AWS_REGION, AWS_DEFAULT_REGION, the profile's region) when absent */
  region?: string;
  /** named profile of the shared AWS config/credentials files, as the AWS CLI's --profile */
  profile?: string;
}

/** How commands get a session; tests pass one that injects mocked clients. */
export type SessionFactory = (options: AwsOptions) => AwsSession | Promise<AwsSession>;
export const defaultSessionFactory: SessionFactory = async (options) => {
  // As in the AWS CLI, --profile stands for AWS_PROFILE: the SDK's default chains then read that profile's
  // credentials (keys, SSO, assumed role, credential_process) and region. A CLI process runs one command.
  if (options.profile) process.env.AWS_PROFILE = options.profile;
  const { AwsSession } = await import('./session.js');
  return new AwsSession(options);
};

/** `--stack`, `--region` and `--profile`, shared by every AWS command. */
export function addAwsOptions(command: Command, { stack = true }: { stack?: boolean } = {}): Command {
  if (stack) command.option('--stack <name>', `the deployed shaketable stack (default: ${DEFAULT_STACK})`);
  return command
    .option('--region <region>', 'AWS region (default: AWS_REGION, AWS_DEFAULT_REGION or the profile region)')
    .option(
      '--profile <name>',
      'named AWS profile for credentials and region, as in the AWS CLI (default: AWS_PROFILE)',
    );
}
