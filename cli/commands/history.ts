// `shaketable history <name>`: an experiment's recent runs on AWS from the run table (newest first): run id, start,
// verdict, duration and report link; --json for scripts.
import { join } from 'node:path';
import type { Command } from 'commander';
import { EXPERIMENT_NAME } from '../../core/experiment/schema.js';
import type { RunLedger } from '../../core/ports.js';
import { FileRunLedger } from '../../local/files/ledger.js';
import { DEFAULT_BASE_DIR } from '../../local/files/paths.js';
import { withAwsErrors } from '../aws/errors.js';
import { s3ConsoleUrl } from '../aws/links.js';
import { type AwsOptions, addAwsOptions, defaultSessionFactory, type SessionFactory } from '../aws/options.js';
import { formatDuration, printJson, secondsBetween, table } from '../aws/print.js';
import { UserError } from '../errors.js';
import type { CliContext } from '../main.js';
import { localPath } from './status.js';

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

/**
 * `link` turns a stored report URI into what a person opens: an S3 console URL on AWS, a file path in the sandbox.
 * Without an experiment (only --local), every run.
 */
export async function runHistory(
  ledger: RunLedger,
  experiment: string | undefined,
  limit: number,
  link: (reportUri: string) => string,
): Promise<HistoryRow[]> {
  const runs = await ledger.listRuns({ ...(experiment ? { experiment } : {}), limit });
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
      ...(run.reportUri ? { reportUri: run.reportUri, reportUrl: link(run.reportUri) } : {}),
    };
  });
}

export function formatHistory(
  experiment: string | undefined,
  rows: readonly HistoryRow[],
  where = 'the run table',
): string {
  if (!rows.length) return `no runs${experiment ? ` of ${experiment}` : ''} in ${where} yet\n`;
  return table(
    [...(experiment ? [] : ['EXPERIMENT']), 'RUN ID', 'STARTED', 'VERDICT', 'DURATION', 'REPORT'],
    rows.map((r) => [
      ...(experiment ? [] : [r.experiment]),
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
    .description("list an experiment's recent runs on AWS (or --local in the sandbox): verdicts, durations, reports")
    .argument('[experiment]', 'the experiment name (optional with --local: every sandbox run)')
    .option('--limit <n>', `how many runs, newest first (default: ${DEFAULT_HISTORY_LIMIT})`, parseLimit)
    .option('--local', `sandbox runs, from the local ledger (${DEFAULT_BASE_DIR}/ledger) instead of AWS`)
    .option('--json', 'print the runs as a JSON array');
  addAwsOptions(command)
    .addHelpText(
      'after',
      '\nExamples:\n  npx shaketable history checkout-instance-loss\n  npx shaketable history checkout-instance-loss --limit 5 --json\n  npx shaketable history --local',
    )
    .action(
      async (
        experiment: string | undefined,
        options: AwsOptions & { limit?: number; json?: boolean; local?: boolean },
      ) => {
        if (experiment !== undefined && !EXPERIMENT_NAME.test(experiment)) {
          throw new UserError(`"${experiment}" is not an experiment name ([a-z0-9-]{3,64})`);
        }
        const limit = options.limit ?? DEFAULT_HISTORY_LIMIT;
        if (options.local) {
          const ledger = new FileRunLedger(join(context.cwd, DEFAULT_BASE_DIR));
          const rows = await runHistory(ledger, experiment, limit, (uri) => localPath(uri, context.cwd));
          if (options.json) printJson(context.io, rows);
          else context.io.stdout(formatHistory(experiment, rows, `the sandbox ledger (${DEFAULT_BASE_DIR}/ledger)`));
          context.exitCode = 0;
          return;
        }
        if (experiment === undefined) {
          throw new UserError('history on AWS needs the experiment name: npx shaketable history <experiment>');
        }
        const session = await sessions(options);
        const rows = await withAwsErrors(async () => {
          const ledger = await session.ledger();
          const { region } = await session.outputs();
          return runHistory(ledger, experiment, limit, (uri) => s3ConsoleUrl(uri, region));
        });
        if (options.json) printJson(context.io, rows);
        else context.io.stdout(formatHistory(experiment, rows));
        context.exitCode = 0;
      },
    );
}
