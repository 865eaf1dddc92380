// `shaketable history <name>`: an experiment's recent runs on AWS from the run table (newest first): run id, start,
// verdict, duration and report link; --json for scripts.
import type { Command } from 'commander';
import { EXPERIMENT_NAME } from '../../core/experiment/schema.js';
import type { RunLedger } from '../../core/ports.js';
import { withAwsErrors } from '../aws/errors.js';
import { s3ConsoleUrl } from '../aws/links.js';
import { type AwsOptions, addAwsOptions, defaultSessionFactory, type SessionFactory } from '../aws/options.js';
import { formatDuration, printJson, secondsBetween, table } from '../aws/print.js';
import { UserError } from '../errors.js';
import type { CliContext } from '../main.js';

export const DEFAULT_HISTORY_LIMIT = 20;

export interface HistoryRow {
  runId: string;
  experiment: string;
  status: 'RUNNING' | 'DONE';
  startedAt: string;
  endedAt?: string;
  durationSeconds?: number;
  trigger?: string;
  verdict?: string;
  resultUri?: string;
  reportUri?: string;
  reportUrl?: string;
}

export async function runHistory(
  ledger: RunLedger,
  experiment: string,
  limit: number,
  region: string,
): Promise<HistoryRow[]> {
  const runs = await ledger.listRuns({ experiment, limit });
  return runs.map((run) => {
    const duration = secondsBetween(run.startedAt, run.endedAt);
    return {
      runId: run.runId,
      experiment: run.experiment,
      status: run.status,
      startedAt: run.startedAt,
      ...(run.endedAt ? { endedAt: run.endedAt } : {}),
      ...(duration !== undefined ? { durationSeconds: duration } : {}),
      ...(run.trigger ? { trigger: run.trigger } : {}),
      ...(run.verdict ? { verdict: run.verdict } : {}),
      ...(run.resultUri ? { resultUri: run.resultUri } : {}),
      ...(run.reportUri ? { reportUri: run.reportUri, reportUrl: s3ConsoleUrl(run.reportUri, region) } : {}),
    };
  });
}

export function formatHistory(experiment: string, rows: readonly HistoryRow[]): string {
  if (!rows.length) return `no runs of ${experiment} in the run table yet\n`;
  return table(
    ['RUN ID', 'STARTED', 'VERDICT', 'DURATION', 'REPORT'],
    rows.map((r) => [
      r.runId,
      r.startedAt,
      r.verdict ?? (r.status === 'RUNNING' ? 'running' : '—'),
      r.status === 'RUNNING' ? '—' : formatDuration(r.durationSeconds),
      r.reportUrl ?? '—',
    ]),
  );
}

function parseLimit(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 1000)
    throw new UserError(`--limit: "${value}" is not a whole number from 1 to 1000`);
  return n;
}

export function registerHistoryCommand(
  program: Command,
  context: CliContext,
  sessions: SessionFactory = defaultSessionFactory,
): void {
  const command = program
    .command('history')
    .description("list an experiment's recent runs on AWS: verdicts, durations and report links")
    .argument('<experiment>', 'the experiment name')
    .option('--limit <n>', `how many runs, newest first (default: ${DEFAULT_HISTORY_LIMIT})`, parseLimit)
    .option('--json', 'print the runs as a JSON array');
  addAwsOptions(command)
    .addHelpText(
      'after',
      '\nExamples:\n  npx shaketable history checkout-instance-loss\n  npx shaketable history checkout-instance-loss --limit 5 --json',
    )
    .action(async (experiment: string, options: AwsOptions & { limit?: number; json?: boolean }) => {
      if (!EXPERIMENT_NAME.test(experiment)) {
        throw new UserError(`"${experiment}" is not an experiment name ([a-z0-9-]{3,64})`);
      }
      const session = await sessions(options);
      const rows = await withAwsErrors(async () =>
        runHistory(
          await session.ledger(),
          experiment,
          options.limit ?? DEFAULT_HISTORY_LIMIT,
          (await session.outputs()).region,
        ),
      );
      if (options.json) printJson(context.io, rows);
      else context.io.stdout(formatHistory(experiment, rows));
      context.exitCode = 0;
    });
}
