// `shaketable resume [--local]`: the kill switch off again (SSM /shaketable/halt on AWS, .shaketable/halt.json in
// the sandbox), so preflight and InjectFault let runs through. It starts nothing itself.
import { join } from 'node:path';
import type { Command } from 'commander';
import type { KillSwitch } from '../../core/ports.js';
import { FileKillSwitch } from '../../local/files/kill-switch.js';
import { DEFAULT_BASE_DIR, LocalStateError } from '../../local/files/paths.js';
import { withAwsErrors } from '../aws/errors.js';
import {
  type AwsOptions,
  addAwsOptions,
  defaultSessionFactory,
  HALT_PARAMETER,
  type SessionFactory,
} from '../aws/options.js';
import { printJson } from '../aws/print.js';
import type { CliContext } from '../main.js';

/** Turns the switch off; returns whether it was on, and why, before. */
export async function resume(killSwitch: KillSwitch): Promise<{ wasOn: boolean; reason?: string }> {
  let before: { on: boolean; reason?: string };
  try {
    before = await killSwitch.get();
  } catch (error) {
    // A damaged switch file must never keep the switch from being cleared: it is removed, and that is said.
    if (!(error instanceof LocalStateError)) throw error;
    await killSwitch.set(false);
    return { wasOn: true, reason: `its file was unreadable and is removed (${error.message.split(';')[0]})` };
  }
  await killSwitch.set(false);
  return before.reason === undefined ? { wasOn: before.on } : { wasOn: before.on, reason: before.reason };
}

export function registerResumeCommand(
  program: Command,
  context: CliContext,
  sessions: SessionFactory = defaultSessionFactory,
): void {
  const command = program
    .command('resume')
    .description('kill switch off: experiments may run again (starts nothing)')
    .option('--local', 'the sandbox kill switch (.shaketable/halt.json) instead of AWS')
    .option('--json', 'print {killSwitch, wasOn, reason} as JSON');
  addAwsOptions(command, { stack: false })
    .addHelpText('after', '\nExamples:\n  npx shaketable resume\n  npx shaketable resume --local')
    .action(async (options: AwsOptions & { local?: boolean; json?: boolean }) => {
      let where: string;
      let before: { wasOn: boolean; reason?: string };
      if (options.local) {
        const killSwitch = new FileKillSwitch(join(context.cwd, DEFAULT_BASE_DIR));
        where = killSwitch.file;
        before = await resume(killSwitch);
      } else {
        const session = await sessions(options);
        where = `SSM ${HALT_PARAMETER}`;
        before = await withAwsErrors(() => resume(session.killSwitch()));
      }
      if (options.json) printJson(context.io, { killSwitch: 'off', ...before });
      else
        context.io.stdout(
          before.wasOn
            ? `kill switch OFF (${where}); it was on${before.reason ? `: ${before.reason}` : ''}\n`
            : `kill switch OFF (${where}); it was already off\n`,
        );
      context.exitCode = 0;
    });
}
