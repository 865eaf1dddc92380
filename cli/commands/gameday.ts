// `shaketable gameday <name> [--local]`: a GameDay (DESIGN §9) — `run --wait` that prints the run id and the exact
// ack commands for the responders, and whose workflow holds Evaluate (HoldForMitigation, a task token the
// `mitigated` ack completes) until a `mitigated` ack or maxDuration after the fault started.
import type { Command } from 'commander';
import { durationSeconds } from '../../core/duration.js';
import type { Experiment } from '../../core/experiment/schema.js';
import { formatSeconds } from '../../core/report/format.js';
import { UserError } from '../errors.js';
import type { CliContext } from '../main.js';
import { ackCommands } from './ack.js';
import { parseAllow, type RunOptions, runInSandbox } from './run.js';

/** What the responders are told as the GameDay starts: the run id and the commands to acknowledge it. */
export function gamedayAnnouncement(runId: string, local: boolean, maxDuration?: string): string {
  const bound = maxDuration ? ` (${formatSeconds(durationSeconds(maxDuration))} after the fault starts)` : '';
  return [
    `GameDay run ${runId}: responders, acknowledge what you see and do with`,
    ...ackCommands(runId, local).map((command) => `  ${command}`),
    `the verdict waits for a mitigated ack, or for maxDuration${bound}`,
    '',
  ].join('\n');
}

export function registerGamedayCommand(program: Command, context: CliContext): void {
  program
    .command('gameday')
    .description(
      'run an experiment as a GameDay: prints the ack commands for the responders and holds the verdict for a mitigated ack or maxDuration',
    )
    .argument('<experiment>', 'a catalog experiment name (AWS), or a file or name under experiments/ (--local)')
    .option('--local', 'run in the embedded sandbox on 127.0.0.1 (provider: local experiments; no AWS account)')
    .option('--allow <verdicts>', 'verdicts that still exit 0, comma separated (e.g. degraded,skipped)', parseAllow)
    .option('--junit <file>', 'write a JUnit XML report (one testcase per check)')
    .option('--summary <file>', 'write a Markdown summary (e.g. $GITHUB_STEP_SUMMARY)')
    .option('--json', 'print the outcome as JSON on stdout (progress goes to stderr)')
    .option('--stack <name>', 'AWS: the deployed shaketable stack (default: Shaketable)')
    .option('--region <region>', 'AWS: region (default: AWS_REGION, AWS_DEFAULT_REGION or the profile region)')
    .option(
      '--profile <name>',
      'AWS: named profile for credentials and region, as in the AWS CLI (default: AWS_PROFILE)',
    )
    .addHelpText(
      'after',
      '\nThe run is followed to its verdict (run --wait). Responders record what they see and do with\n`shaketable ack <runId> detected|mitigated [--note …] [--local]` (printed with the run id as it starts).\nTime-to-detect and time-to-mitigate in result.json count from the fault start.\n\nExamples:\n  npx shaketable gameday checkout-instance-loss\n  npx shaketable gameday local-latency-detected --local',
    )
    .action(async (arg: string, options: RunOptions) => {
      if (options.local) {
        for (const flag of ['stack', 'region', 'profile'] as const) {
          if (options[flag] !== undefined) throw new UserError(`--${flag} applies to AWS runs, not --local`);
        }
        await runInSandbox(arg, options, context, {
          announce: (experiment: Experiment, runId: string) =>
            gamedayAnnouncement(runId, true, experiment.fault.maxDuration),
        });
        return;
      }
      // Loaded here: the AWS SDK clients are not needed by local runs or `--help`.
      const { runOnAws } = await import('../aws/run.js');
      context.exitCode = await runOnAws(
        arg,
        {
          wait: true,
          ...(options.allow ? { allow: options.allow } : {}),
          ...(options.junit ? { junit: options.junit } : {}),
          ...(options.summary ? { summary: options.summary } : {}),
          ...(options.stack ? { stack: options.stack } : {}),
          ...(options.region ? { region: options.region } : {}),
          ...(options.profile ? { profile: options.profile } : {}),
          ...(options.json ? { json: true } : {}),
          cwd: context.cwd,
          trigger: 'manual',
          gameday: { announce: (runId) => gamedayAnnouncement(runId, false) },
        },
        context.io,
      );
    });
}
