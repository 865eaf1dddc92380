// `shaketable console [--local] [--port N]`: the web console (DESIGN §10) on 127.0.0.1, for people who would rather
// click than type. Its code (server, sandbox, AWS SDK) loads only when this command runs.
import type { Command } from 'commander';
import { type AwsOptions, addAwsOptions } from '../aws/options.js';
import { UserError } from '../errors.js';
import type { CliContext } from '../main.js';

export interface ConsoleOptions extends AwsOptions {
  local?: boolean;
  port?: number;
}

function parsePort(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || n > 65535) throw new UserError(`--port: "${value}" is not a port number (0-65535)`);
  return n;
}

export function registerConsoleCommand(program: Command, context: CliContext): void {
  const command = program
    .command('console')
    .description('serve the web console on 127.0.0.1: catalog, history and reports, scorecard, live runs, actions')
    .option('--local', "the sandbox: experiments/ with provider: local and this folder's .shaketable/")
    .option('--port <n>', 'port on 127.0.0.1 (default: any free port)', parsePort);
  addAwsOptions(command)
    .addHelpText(
      'after',
      [
        '',
        'Prints one URL with a random token; only requests carrying it are answered, and actions are accepted from the',
        'console page only. Every action asks for confirmation and runs the same code as the matching command',
        '(run, halt, resume, approve, reject). Ctrl-C stops the console and any run it started.',
        '',
        'Examples:',
        '  npx shaketable console --local',
        '  npx shaketable console --local --port 8080',
        '  npx shaketable console --stack Shaketable --region eu-west-1',
      ].join('\n'),
    )
    .action(async (options: ConsoleOptions) => {
      if (options.local && (options.stack || options.region || options.profile)) {
        throw new UserError('--stack, --region and --profile apply to the AWS console, not --local');
      }
      const { serveConsole } = await import('../console/serve.js');
      context.exitCode = await serveConsole(options, context);
    });
}
