// The `shaketable` command line: one commander program with a global --debug; each command lives in
// cli/commands/<name>.ts and exports a function that registers it on the program.
import { existsSync, realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Command } from 'commander';
import packageJson from '../package.json' with { type: 'json' };
import { registerAckCommand } from './commands/ack.js';
import { registerActionsCommand } from './commands/actions.js';
import { registerApproveCommand, registerRejectCommand } from './commands/approve.js';
import { registerConsoleCommand } from './commands/console.js';
import { registerGamedayCommand } from './commands/gameday.js';
import { registerHaltCommand } from './commands/halt.js';
import { registerHistoryCommand } from './commands/history.js';
import { registerNewCommand } from './commands/new.js';
import { registerPreflightCommand } from './commands/preflight.js';
import { registerReportCommand } from './commands/report.js';
import { registerResumeCommand } from './commands/resume.js';
import { registerRunCommand } from './commands/run.js';
import { registerScorecardCommand } from './commands/scorecard.js';
import { registerStatusCommand } from './commands/status.js';
import { registerValidateCommand } from './commands/validate.js';
import { type CliIo, reportError } from './errors.js';

/** What a command needs from its surroundings, injectable so tests run the CLI in-process. */
export interface CliContext {
  io: CliIo;
  /** directory relative paths are resolved against */
  cwd: string;
  /** set by a command's action; what the process exits with */
  exitCode: number;
}

export type RegisterCommand = (program: Command, context: CliContext) => void;

/** Commands in the order `shaketable --help` lists them. Add a command by adding its register function here. */
export const COMMANDS: readonly RegisterCommand[] = [
  registerValidateCommand,
  registerRunCommand,
  registerGamedayCommand,
  registerPreflightCommand,
  registerStatusCommand,
  registerHistoryCommand,
  registerApproveCommand,
  registerRejectCommand,
  registerAckCommand,
  registerHaltCommand,
  registerResumeCommand,
  registerReportCommand,
  registerScorecardCommand,
  registerConsoleCommand,
  registerNewCommand,
  registerActionsCommand,
];

export function createProgram(context: CliContext): Command {
  const program = new Command('shaketable')
    .description('Chaos experiments on AWS FIS + Step Functions, with a local sandbox.')
    .version(packageJson.version)
    .option('--debug', 'show stack traces for errors')
    .showHelpAfterError('(add --help for usage)')
    .exitOverride()
    .configureOutput({ writeOut: (s) => context.io.stdout(s), writeErr: (s) => context.io.stderr(s) })
    .addHelpText(
      'after',
      '\nExamples:\n  npx shaketable run local-instance-loss --local\n  npx shaketable new cart-latency --from network-latency\n  npx shaketable validate --strict\n  npx shaketable run checkout-instance-loss --wait\n\nEvery command has --help with examples: npx shaketable <command> --help',
    );
  // Subcommands copy these settings when created, so they are set before any command is registered.
  for (const register of COMMANDS) register(program, context);
  return program;
}

/** Runs the CLI on `argv` (without `node` and the script) and returns the exit code. */
export async function runCli(
  argv: readonly string[],
  io: CliIo = processIo(),
  cwd: string = process.cwd(),
): Promise<number> {
  const context: CliContext = { io, cwd, exitCode: 0 };
  try {
    await createProgram(context).parseAsync([...argv], { from: 'user' });
    return context.exitCode;
  } catch (error) {
    return reportError(error, io, argv.includes('--debug'));
  }
}

/**
 * stdout and stderr of the process, where a reader that went away (`shaketable run … | head -3`) is not a failure:
 * writes to a closed pipe are dropped and the command goes on to its end — a run finishes, writes its result and
 * releases its lock, and exits with its verdict's code — instead of dying of an unhandled EPIPE.
 */
export function processIo(): CliIo {
  const writer = (stream: NodeJS.WriteStream) => {
    let closed = false;
    stream.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code !== 'EPIPE') throw error;
      closed = true;
    });
    return (text: string) => {
      if (!closed) stream.write(text);
    };
  };
  return { stdout: writer(process.stdout), stderr: writer(process.stderr) };
}

/** True when this module is the program being run (through bin/shaketable.js or `tsx cli/main.ts`). */
function isEntryPoint(): boolean {
  const script = process.argv[1];
  if (script === undefined) return false;
  const self = fileURLToPath(import.meta.url);
  const launcher = fileURLToPath(new URL('../bin/shaketable.js', import.meta.url));
  if (!existsSync(script)) return false; // node -e, a REPL: not run as a script
  const real = realpathSync(script);
  return real === self || real === launcher;
}

if (isEntryPoint()) process.exitCode = await runCli(process.argv.slice(2));
