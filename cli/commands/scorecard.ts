// `shaketable scorecard [--days 30] [--local] [--json] [--html f]`: how the chaos programme is doing over the run
// history — runs and verdicts per experiment, hypothesis pass rate, fault types exercised, the probes and guardrails
// that fail most, and experiments not run within their schedule. History from the run table and S3 (AWS) or from
// .shaketable/ (--local); schedules and fault types from the experiment files under experiments/.
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import type { Command } from 'commander';
import { formatIssue } from '../../core/experiment/issues.js';
import type { Experiment } from '../../core/experiment/schema.js';
import { validateFiles } from '../../core/experiment/validate.js';
import { type Clock, type ResultStore, type RunLedger, type RunRecord, systemClock } from '../../core/ports.js';
import { escapeControls } from '../../core/report/format.js';
import type { Result } from '../../core/result/model.js';
import { computeScorecard, type Scorecard, type UnreadableResult } from '../../core/scorecard/compute.js';
import { renderScorecardHtml } from '../../core/scorecard/html.js';
import { formatScorecardText } from '../../core/scorecard/text.js';
import { FileRunLedger } from '../../local/files/ledger.js';
import { DEFAULT_BASE_DIR } from '../../local/files/paths.js';
import { FileResultStore } from '../../local/files/results.js';
import { withAwsErrors } from '../aws/errors.js';
import { type AwsOptions, addAwsOptions, defaultSessionFactory, type SessionFactory } from '../aws/options.js';
import { printJson } from '../aws/print.js';
import { UserError } from '../errors.js';
import { readExperimentBytes } from '../experiment-file.js';
import type { CliContext } from '../main.js';
import { DEFAULT_CATALOG, findExperimentFiles } from './validate.js';

export const DEFAULT_DAYS = 30;
const MAX_DAYS = 3650;
/** Results read at once: enough to hide S3 latency, few enough not to be throttled or exhaust sockets. */
const RESULT_READS_IN_FLIGHT = 8;

/** Errors that mean "this one result cannot be read" (deleted, expired by a lifecycle rule, corrupt), not "stop". */
const UNREADABLE_RESULT_ERRORS = new Set([
  'NoSuchKey',
  'NotFound',
  'Shaketable.ResultUnreadable',
  'Shaketable.InvalidS3Uri',
  'Shaketable.UnsafeName',
  'ZodError',
  'SyntaxError',
]);

export interface History {
  runs: RunRecord[];
  results: Map<string, Result>;
  unreadable: UnreadableResult[];
}

/**
 * Every run in the ledger (an experiment's last run may predate the window) and the results of those started since
 * `since` (epoch ms). A result that cannot be read is listed, not fatal: the run still counts by its ledger verdict.
 */
export async function readHistory(ledger: RunLedger, store: ResultStore, since: number): Promise<History> {
  const runs = await ledger.listRuns({});
  const wanted = runs.filter((run) => run.resultUri !== undefined && Date.parse(run.startedAt) >= since);
  const results = new Map<string, Result>();
  const unreadable: UnreadableResult[] = [];
  let next = 0;
  const worker = async () => {
    while (next < wanted.length) {
      const run = wanted[next++]!;
      const uri = run.resultUri!;
      try {
        results.set(run.runId, await store.get(uri));
      } catch (error) {
        if (!isUnreadableResult(error)) throw error;
        unreadable.push({ runId: run.runId, experiment: run.experiment, uri, reason: oneLine(error) });
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(RESULT_READS_IN_FLIGHT, wanted.length) }, worker));
  unreadable.sort((a, b) => a.runId.localeCompare(b.runId));
  return { runs, results, unreadable };
}

function isUnreadableResult(error: unknown): error is Error {
  if (!(error instanceof Error)) return false;
  return UNREADABLE_RESULT_ERRORS.has(error.name) || (error as NodeJS.ErrnoException).code === 'ENOENT';
}

function oneLine(error: Error): string {
  const text = error.name === 'ZodError' ? 'not a valid shaketable result' : error.message;
  return `${error.name}: ${text.split('\n')[0]}`;
}

/**
 * The catalog the scorecard holds runs to: valid experiment files under experiments/ for the chosen side (local:
 * `provider: local` anywhere below; AWS: the others, directly in experiments/ as the stack deploys them). Invalid
 * files are reported on stderr and left out, so one broken file does not hide the whole history.
 */
export async function readCatalog(
  cwd: string,
  side: 'aws' | 'local',
  warn: (line: string) => void,
): Promise<Experiment[]> {
  return (await readCatalogFiles(cwd, side, warn)).map((entry) => entry.experiment);
}

/** readCatalog with the file each experiment comes from (relative to `cwd`), in file order. */
export async function readCatalogFiles(
  cwd: string,
  side: 'aws' | 'local',
  warn: (line: string) => void,
): Promise<Array<{ file: string; experiment: Experiment }>> {
  const files = await findExperimentFiles(DEFAULT_CATALOG, cwd).catch((error: unknown) => {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  });
  const reports = await validateFiles(files, (path) => readExperimentBytes(resolve(cwd, path)));
  const experiments: Array<{ file: string; experiment: Experiment }> = [];
  for (const report of reports) {
    if (!report.valid || !report.experiment) {
      const first = report.issues[0];
      warn(
        `warning: ${report.file} is invalid and left out of the scorecard${first ? ` (${formatIssue(first)})` : ''}; run npx shaketable validate`,
      );
      continue;
    }
    const local = report.experiment.provider === 'local';
    if (side === 'local' ? local : !local && dirname(report.file) === DEFAULT_CATALOG) {
      experiments.push({ file: report.file, experiment: report.experiment });
    }
  }
  return experiments;
}

function parseDays(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < 1 || n > MAX_DAYS) {
    throw new UserError(`--days: "${value}" is not a whole number of days from 1 to ${MAX_DAYS}`);
  }
  return n;
}

interface ScorecardOptions extends AwsOptions {
  days?: number;
  local?: boolean;
  json?: boolean;
  html?: string;
}

/**
 * `clock` times the --local scorecard; on AWS the session's clock is used (tests inject both).
 */
export function registerScorecardCommand(
  program: Command,
  context: CliContext,
  sessions: SessionFactory = defaultSessionFactory,
  clock: Clock = systemClock,
): void {
  const command = program
    .command('scorecard')
    .description(
      'over the run history: runs and verdicts per experiment, hypothesis pass rate, fault types, failing probes and guardrails, experiments not run within their schedule',
    )
    .option('--days <n>', `how many days of history (default: ${DEFAULT_DAYS})`, parseDays)
    .option('--local', `the sandbox's runs under ${DEFAULT_BASE_DIR}/ instead of the AWS run table`)
    .option('--json', 'print the scorecard as JSON')
    .option('--html <file>', 'also write the scorecard as a self-contained HTML page');
  addAwsOptions(command)
    .addHelpText(
      'after',
      `\nThe pass rate is PASSED runs over runs that injected a fault (SKIPPED and runs stopped before injecting excluded).\nA scheduled experiment is overdue when its last run is older than twice the longest gap of its schedule.\n\nExamples:\n  npx shaketable scorecard\n  npx shaketable scorecard --days 90 --html scorecard.html\n  npx shaketable scorecard --local --json`,
    )
    .action(async (options: ScorecardOptions) => {
      const days = options.days ?? DEFAULT_DAYS;
      // History and file names are input: their control characters are escaped before they reach a terminal.
      const warn = (line: string) => context.io.stderr(`${escapeControls(line)}\n`);
      let card: Scorecard;
      if (options.local) {
        if (options.stack || options.region) throw new UserError('--stack and --region do not apply with --local');
        const baseDir = join(context.cwd, DEFAULT_BASE_DIR);
        const now = clock.now();
        const history = await readHistory(
          // A ledger entry that cannot be read (truncated, a stray file) is skipped and named, not fatal.
          new FileRunLedger(baseDir, undefined, (line) => warn(`warning: ${line}`)),
          new FileResultStore(baseDir),
          now.getTime() - days * 86_400_000,
        );
        card = computeScorecard({ ...history, experiments: await readCatalog(context.cwd, 'local', warn), now, days });
      } else {
        const session = await sessions(options);
        const now = session.clock.now();
        const history = await withAwsErrors(async () =>
          readHistory(await session.ledger(), await session.results(), now.getTime() - days * 86_400_000),
        );
        card = computeScorecard({ ...history, experiments: await readCatalog(context.cwd, 'aws', warn), now, days });
      }
      let page: string | undefined;
      if (options.html) {
        page = resolve(context.cwd, options.html);
        await mkdir(dirname(page), { recursive: true });
        await writeFile(page, renderScorecardHtml(card));
      }
      if (options.json) {
        printJson(context.io, card);
        // stdout stays pure JSON for scripts; the page's path goes to stderr.
        if (page) warn(`scorecard: ${page}`);
      } else {
        context.io.stdout(escapeControls(formatScorecardText(card), '\n'));
        if (page) context.io.stdout(`\nscorecard: ${page}\n`);
      }
      context.exitCode = 0;
    });
}
