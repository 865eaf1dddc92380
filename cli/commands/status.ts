// `shaketable status <runId|executionArn>`: one run on AWS, from its execution (status, current state) and its
// run-table record (verdict, result and report), with console links; --json for scripts.

import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { DescribeExecutionCommandOutput } from '@aws-sdk/client-sfn';
import type { Command } from 'commander';
import type { RunRecord } from '../../core/ports.js';
import { FileRunLedger } from '../../local/files/ledger.js';
import { DEFAULT_BASE_DIR } from '../../local/files/paths.js';
import { withAwsErrors } from '../aws/errors.js';
import { executionArnFor, executionConsoleUrl, parseExecutionArn, s3ConsoleUrl } from '../aws/links.js';
import { type AwsOptions, addAwsOptions, defaultSessionFactory, type SessionFactory } from '../aws/options.js';
import { formatDuration, printJson, RUN_ID, secondsBetween } from '../aws/print.js';
import type { AwsSession } from '../aws/session.js';
import { UserError } from '../errors.js';
import type { CliContext } from '../main.js';

export interface RunStatus {
  runId: string;
  experiment?: string;
  executionArn: string;
  consoleUrl: string;
  /** the execution's status (RUNNING, SUCCEEDED, FAILED, TIMED_OUT, ABORTED), absent when it no longer exists */
  executionStatus?: string;
  /** the state a running execution is in */
  currentState?: string;
  waitingForApproval: boolean;
  /** the run table's status (RUNNING / DONE) */
  runStatus?: RunRecord['status'];
  trigger?: string;
  startedAt?: string;
  endedAt?: string;
  durationSeconds?: number;
  verdict?: string;
  fisExperimentId?: string;
  stopCause?: string;
  resultUri?: string;
  reportUri?: string;
  reportUrl?: string;
  error?: string;
}

export async function runStatus(session: AwsSession, ref: string): Promise<RunStatus> {
  const outputs = await session.outputs();
  let executionArn: string;
  let runId: string;
  if (ref.startsWith('arn:')) {
    const parsed = parseExecutionArn(ref);
    if (!parsed) throw new UserError(`"${ref}" is not a Step Functions execution ARN`);
    executionArn = ref;
    runId = parsed.name;
  } else {
    if (!RUN_ID.test(ref)) throw new UserError(`"${ref}" is neither a run id nor an execution ARN`);
    executionArn = executionArnFor(outputs.stateMachineArn, ref);
    runId = ref;
  }
  const sfn = session.client('sfn');
  const { DescribeExecutionCommand } = await import('@aws-sdk/client-sfn');
  const [execution, run] = await Promise.all([
    sfn.send(new DescribeExecutionCommand({ executionArn })).catch((error: unknown) => {
      // Step Functions forgets executions 90 days after they end; the run table keeps the history.
      if (error instanceof Error && error.name === 'ExecutionDoesNotExist') return undefined;
      throw error;
    }),
    session.ledger().then((ledger) => ledger.getRun(runId)),
  ]);
  if (!execution && !run) {
    throw new UserError(
      `no run ${runId} in stack ${outputs.stackName} (${outputs.region}): list runs with npx shaketable history <experiment>`,
    );
  }
  const currentState = execution?.status === 'RUNNING' ? await currentStateOf(session, executionArn) : undefined;
  const startedAt = run?.startedAt ?? execution?.startDate?.toISOString();
  const endedAt = run?.endedAt ?? execution?.stopDate?.toISOString();
  const status: RunStatus = {
    runId,
    executionArn,
    consoleUrl: executionConsoleUrl(executionArn),
    waitingForApproval: currentState === 'Approval',
  };
  const experiment = run?.experiment ?? experimentOf(execution);
  const duration = secondsBetween(startedAt, endedAt);
  const error = execution?.error ? `${execution.error}${execution.cause ? `: ${execution.cause}` : ''}` : undefined;
  const reportUrl = run?.reportUri ? s3ConsoleUrl(run.reportUri, outputs.region) : undefined;
  return {
    ...status,
    ...(experiment ? { experiment } : {}),
    ...(execution?.status ? { executionStatus: execution.status } : {}),
    ...(currentState ? { currentState } : {}),
    ...(run ? { runStatus: run.status } : {}),
    ...(run?.trigger ? { trigger: run.trigger } : {}),
    ...(startedAt ? { startedAt } : {}),
    ...(endedAt ? { endedAt } : {}),
    ...(duration !== undefined ? { durationSeconds: duration } : {}),
    ...(run?.verdict ? { verdict: run.verdict } : {}),
    ...(run?.fisExperimentId ? { fisExperimentId: run.fisExperimentId } : {}),
    ...(run?.stopCause ? { stopCause: run.stopCause } : {}),
    ...(run?.resultUri ? { resultUri: run.resultUri } : {}),
    ...(run?.reportUri ? { reportUri: run.reportUri } : {}),
    ...(reportUrl ? { reportUrl } : {}),
    ...(error ? { error } : {}),
  };
}

/** The state most recently entered, from the newest history events. */
async function currentStateOf(session: AwsSession, executionArn: string): Promise<string | undefined> {
  const { GetExecutionHistoryCommand } = await import('@aws-sdk/client-sfn');
  const page = await session
    .client('sfn')
    .send(
      new GetExecutionHistoryCommand({ executionArn, reverseOrder: true, maxResults: 20, includeExecutionData: false }),
    );
  return page.events?.find((e) => e.stateEnteredEventDetails?.name)?.stateEnteredEventDetails?.name;
}

function experimentOf(execution: DescribeExecutionCommandOutput | undefined): string | undefined {
  if (!execution?.input || execution.inputDetails?.included === false) return undefined;
  const experiment = (JSON.parse(execution.input) as { experiment?: unknown }).experiment;
  return typeof experiment === 'string' ? experiment : undefined;
}

/** One sandbox run, from the local ledger (`.shaketable/ledger/<runId>.json`, the run table's twin). */
export interface LocalRunStatus {
  runId: string;
  experiment: string;
  runStatus: RunRecord['status'];
  trigger?: string;
  startedAt: string;
  endedAt?: string;
  durationSeconds?: number;
  verdict?: string;
  stopCause?: string;
  /** paths, relative to the working directory when inside it */
  resultFile?: string;
  reportFile?: string;
}

/** A file:// URI the sandbox stored, as a path the user can open or pass to `report`. */
export function localPath(uri: string, cwd: string): string {
  const file = uri.startsWith('file:') ? fileURLToPath(uri) : uri;
  const rel = relative(cwd, file);
  return rel && !rel.startsWith('..') ? rel : file;
}

export async function localRunStatus(cwd: string, runId: string): Promise<LocalRunStatus> {
  if (!RUN_ID.test(runId)) throw new UserError(`"${runId}" is not a run id`);
  const run = await new FileRunLedger(join(cwd, DEFAULT_BASE_DIR)).getRun(runId);
  if (!run) {
    throw new UserError(
      `no run ${runId} in the sandbox ledger (${DEFAULT_BASE_DIR}/ledger): list runs with npx shaketable history --local`,
    );
  }
  const duration = secondsBetween(run.startedAt, run.endedAt);
  return {
    runId: run.runId,
    experiment: run.experiment,
    runStatus: run.status,
    ...(run.trigger ? { trigger: run.trigger } : {}),
    startedAt: run.startedAt,
    ...(run.endedAt ? { endedAt: run.endedAt } : {}),
    ...(duration !== undefined ? { durationSeconds: duration } : {}),
    ...(run.verdict ? { verdict: run.verdict } : {}),
    ...(run.stopCause ? { stopCause: run.stopCause } : {}),
    ...(run.resultUri ? { resultFile: localPath(run.resultUri, cwd) } : {}),
    ...(run.reportUri ? { reportFile: localPath(run.reportUri, cwd) } : {}),
  };
}

export function formatLocalStatus(s: LocalRunStatus): string {
  const rows: Array<[string, string | undefined]> = [
    ['run', s.runId],
    ['experiment', s.experiment],
    ['status', s.runStatus === 'RUNNING' ? 'RUNNING (in the sandbox)' : 'DONE'],
    ['trigger', s.trigger],
    ['started', s.startedAt],
    ['ended', s.endedAt ? `${s.endedAt} (${formatDuration(s.durationSeconds)})` : undefined],
    ['verdict', s.verdict],
    ['stopped', s.stopCause],
    ['result', s.resultFile],
    ['report', s.reportFile],
    ['reasons', s.resultFile ? `npx shaketable report ${s.resultFile}` : undefined],
  ];
  return alignedRows(rows);
}

function alignedRows(rows: Array<[string, string | undefined]>): string {
  return `${rows
    .filter((r): r is [string, string] => r[1] !== undefined)
    .map(([k, v]) => `${k.padEnd(11)}${v}`)
    .join('\n')}\n`;
}

export function formatStatus(s: RunStatus): string {
  const rows: Array<[string, string | undefined]> = [
    ['run', s.runId],
    ['experiment', s.experiment],
    [
      'execution',
      s.executionStatus
        ? `${s.executionStatus}${s.currentState ? ` — in ${s.currentState}` : ''}`
        : 'no longer kept by Step Functions',
    ],
    [
      'approval',
      s.waitingForApproval
        ? `waiting: npx shaketable approve ${s.runId}  (or npx shaketable reject ${s.runId} --reason …)`
        : undefined,
    ],
    ['trigger', s.trigger],
    ['started', s.startedAt],
    ['ended', s.endedAt ? `${s.endedAt} (${formatDuration(s.durationSeconds)})` : undefined],
    ['verdict', s.verdict],
    ['fault', s.fisExperimentId ? `${s.fisExperimentId}${s.stopCause ? ` (stopped: ${s.stopCause})` : ''}` : undefined],
    ['error', s.error],
    ['result', s.resultUri],
    ['report', s.reportUrl ?? s.reportUri],
    ['console', s.consoleUrl],
  ];
  return alignedRows(rows);
}

export function registerStatusCommand(
  program: Command,
  context: CliContext,
  sessions: SessionFactory = defaultSessionFactory,
): void {
  const command = program
    .command('status')
    .description('show one run on AWS (or --local in the sandbox): status, current state, verdict and report link')
    .argument('<run>', 'a run id (the execution name) or an execution ARN')
    .option('--local', `a sandbox run, from the local ledger (${DEFAULT_BASE_DIR}/ledger) instead of AWS`)
    .option('--json', 'print the status as JSON');
  addAwsOptions(command)
    .addHelpText(
      'after',
      '\nExamples:\n  npx shaketable status 20260310T100000-9c2e1a\n  npx shaketable status arn:aws:states:eu-central-1:123456789012:execution:Shaketable:20260310T100000-9c2e1a --json\n  npx shaketable status 20260310T100000-9c2e1a --local',
    )
    .action(async (ref: string, options: AwsOptions & { json?: boolean; local?: boolean }) => {
      if (options.local) {
        const status = await localRunStatus(context.cwd, ref);
        if (options.json) printJson(context.io, status);
        else context.io.stdout(formatLocalStatus(status));
        context.exitCode = 0;
        return;
      }
      // An execution ARN names its region: use it unless --region says otherwise.
      const region = options.region ?? parseExecutionArn(ref)?.region;
      const status = await withAwsErrors(async () =>
        runStatus(await sessions({ ...options, ...(region ? { region } : {}) }), ref),
      );
      if (options.json) printJson(context.io, status);
      else context.io.stdout(formatStatus(status));
      context.exitCode = 0;
    });
}
