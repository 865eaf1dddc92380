// `shaketable run <name>` on AWS: starts the deployed state machine (execution name = run id) with the execution
// input of DESIGN §4, prints the execution and its console link, and with --wait follows it live, reads result.json,
// prints the verdict and exits per DESIGN §3 (`--allow` included); --junit/--summary write the CI outputs.
import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import { StartExecutionCommand } from '@aws-sdk/client-sfn';
import { EXPERIMENT_NAME, type Verdict } from '../../core/experiment/schema.js';
import { exitCodeFor, type Result } from '../../core/result/model.js';
import { CatalogIdsNotFoundError } from '../../functions/aws/ssm.js';
import { AWS_UNREACHABLE_EXIT_CODE, type CliIo, INTERNAL_ERROR_EXIT_CODE, UserError } from '../errors.js';
import { toJUnit, toJUnitUnfinished } from '../outputs/junit.js';
import { toMarkdownSummary, toMarkdownSummaryUnfinished } from '../outputs/summary.js';
import { appendSummary, writeJUnitFile } from '../outputs/write.js';
import { toUserError, withAwsErrors } from './errors.js';
import { describeEvent, failureOf, followExecution, publishedOf, stateMachineTimeoutSeconds } from './follow.js';
import { executionConsoleUrl, s3ConsoleUrl } from './links.js';
import { type AwsOptions, defaultSessionFactory } from './options.js';
import type { AwsSession } from './session.js';

export type AwsTrigger = 'manual' | 'pipeline';

export interface AwsRunOptions extends AwsOptions {
  /** follow the execution to its end and exit per the verdict */
  wait?: boolean;
  dryRun?: boolean;
  /** verdicts that still exit 0 (and that a gated execution accepts) */
  allow?: Verdict[];
  /** JUnit XML file to write (needs wait) */
  junit?: string;
  /** Markdown summary file to write (needs wait) */
  summary?: string;
  /** default: `pipeline` when CI=true, else `manual` (see triggerFor) */
  trigger?: AwsTrigger;
  /** end the execution in a Fail state unless the verdict is allowed; default: true for pipeline runs */
  gate?: boolean;
  /** print the outcome as JSON on stdout; progress goes to stderr */
  json?: boolean;
  /** directory --junit/--summary paths are resolved against (default process.cwd()) */
  cwd?: string;
  /** the run id (execution name) to start with; default a new one (newRunId). The console names runs up front. */
  runId?: string;
  /** a GameDay: Evaluate waits for a `mitigated` ack (or maxDuration); `announce` says how to ack, once started */
  gameday?: { announce: (runId: string) => string };
}

/** How often a followed execution is polled (DescribeExecution + GetExecutionHistory). */
export const POLL_MS = 5000;

export interface FollowTiming {
  pollMs: number;
  sleep(ms: number): Promise<void>;
}

const realTiming: FollowTiming = {
  pollMs: POLL_MS,
  sleep: (ms) => new Promise((done) => setTimeout(done, ms)),
};

/** `pipeline` with --pipeline or in CI (CI=true, as GitHub Actions, GitLab, CodeBuild… set it), else `manual`. */
export function triggerFor(pipeline: boolean | undefined, env: NodeJS.ProcessEnv = process.env): AwsTrigger {
  return pipeline || env.CI === 'true' ? 'pipeline' : 'manual';
}

/** `<yyyymmddThhmmss>-<6 hex>` in UTC: sorts by start time, unique enough for the same second, a valid execution name. */
export function newRunId(now: Date, random: () => string = () => randomBytes(3).toString('hex')): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').slice(0, 15);
  return `${stamp}-${random()}`;
}

/** The execution input, exactly the keys the Load step accepts (core/steps/plan.ts ExecutionInput). */
export interface AwsExecutionInput {
  experiment: string;
  trigger: AwsTrigger;
  gate: boolean;
  allow: Verdict[];
  dryRun: boolean;
  gameday?: true;
}

export async function runOnAws(name: string, options: AwsRunOptions, io: CliIo): Promise<number> {
  return runOnAwsWith(await defaultSessionFactory(options), name, options, io);
}

/** runOnAws with the session (and clock/sleep) given: what the tests drive with mocked clients. */
export async function runOnAwsWith(
  session: AwsSession,
  name: string,
  options: AwsRunOptions,
  io: CliIo,
  timing: FollowTiming = realTiming,
): Promise<number> {
  if (/\.ya?ml$/.test(name) || name.includes('/')) {
    throw new UserError(
      `on AWS, run takes a deployed experiment's name (e.g. checkout-instance-loss), not the file "${name}"; add --local to run a file in the sandbox`,
    );
  }
  if (!EXPERIMENT_NAME.test(name)) {
    throw new UserError(`"${name}" is not an experiment name ([a-z0-9-]{3,64})`);
  }
  if ((options.junit || options.summary) && !options.wait) {
    throw new UserError('--junit and --summary need --wait: the result exists only once the run has ended');
  }
  return withAwsErrors(() => startAndFollow(session, name, options, io, timing));
}

async function startAndFollow(
  session: AwsSession,
  name: string,
  options: AwsRunOptions,
  io: CliIo,
  timing: FollowTiming,
): Promise<number> {
  const out = options.json ? io.stderr : io.stdout;
  const outputs = await session.outputs();
  try {
    await session.catalogIds().read(name);
  } catch (error) {
    if (!(error instanceof CatalogIdsNotFoundError)) throw error;
    throw new UserError(
      `experiment "${name}" is not deployed with stack ${outputs.stackName} in ${outputs.region} (no SSM parameter ${error.parameter}); add it to experiments/ and deploy`,
    );
  }

  const trigger = options.trigger ?? triggerFor(false);
  const allow = options.allow ?? [];
  const input: AwsExecutionInput = {
    experiment: name,
    trigger,
    gate: options.gate ?? trigger === 'pipeline',
    allow,
    dryRun: options.dryRun ?? false,
    ...(options.gameday ? { gameday: true as const } : {}),
  };
  const runId = options.runId ?? newRunId(session.clock.now());
  const sfn = session.client('sfn');
  const started = await sfn.send(
    new StartExecutionCommand({ stateMachineArn: outputs.stateMachineArn, name: runId, input: JSON.stringify(input) }),
  );
  const executionArn = started.executionArn;
  if (!executionArn) throw new Error(`StartExecution returned no execution ARN for run ${runId}`);
  const consoleUrl = executionConsoleUrl(executionArn);
  out(
    [
      `started ${name} as run ${runId}${input.dryRun ? ' (dry run: nothing will be injected)' : ''}`,
      `  execution  ${executionArn}`,
      `  console    ${consoleUrl}`,
      '',
    ].join('\n'),
  );
  if (options.gameday) out(options.gameday.announce(runId));
  const summary = { runId, experiment: name, executionArn, consoleUrl };
  try {
    return await follow(session, options, io, { ...summary, startDate: started.startDate, allow }, timing);
  } catch (error) {
    return reportUnfinished(error, options, io, { ...summary, startDate: started.startDate });
  }
}

interface StartedRun {
  runId: string;
  experiment: string;
  executionArn: string;
  consoleUrl: string;
  startDate: Date | undefined;
}

/**
 * Once StartExecution succeeded the run exists: whatever fails after it (reading the state machine, polling, the
 * result) is reported with the run id and the execution, the JUnit/summary files say so, and the exit code is 5 —
 * never 2, which would read as "nothing happened, fix your input".
 */
async function reportUnfinished(error: unknown, options: AwsRunOptions, io: CliIo, run: StartedRun): Promise<number> {
  const mapped = toUserError(error);
  const why =
    mapped instanceof UserError
      ? mapped.message
      : mapped instanceof Error
        ? `${mapped.name}: ${(mapped.message.split('\n')[0] ?? '').trim()}`
        : String(mapped);
  io.stderr(
    `error: run ${run.runId} was started, but following it failed: ${why}; it goes on in AWS: npx shaketable status ${run.runId} (${run.consoleUrl})\n`,
  );
  const cwd = options.cwd ?? process.cwd();
  const startedAt = (run.startDate ?? new Date()).toISOString();
  const outputs: Array<[string | undefined, string, 'junit' | 'summary']> = [
    [options.junit, toJUnitUnfinished({ ...run, startedAt, error: why }), 'junit'],
    [options.summary, toMarkdownSummaryUnfinished({ ...run, error: why }, { execution: run.consoleUrl }), 'summary'],
  ];
  for (const [file, text, what] of outputs) {
    if (!file) continue;
    try {
      await writeOutput(resolve(cwd, file), text, io.stderr, what);
    } catch (writeError) {
      io.stderr(`error: could not write the ${what} file ${file}: ${(writeError as Error).message}\n`);
    }
  }
  if (options.json) {
    const { startDate: _, ...summary } = run;
    io.stdout(`${JSON.stringify({ ...summary, status: 'UNKNOWN', error: why }, null, 2)}\n`);
  }
  return AWS_UNREACHABLE_EXIT_CODE;
}

async function follow(
  session: AwsSession,
  options: AwsRunOptions,
  io: CliIo,
  started: StartedRun & { allow: Verdict[] },
  timing: FollowTiming,
): Promise<number> {
  const out = options.json ? io.stderr : io.stdout;
  const outputs = await session.outputs();
  const { runId, executionArn, consoleUrl, allow } = started;
  const summary = { runId, experiment: started.experiment, executionArn, consoleUrl };
  const sfn = session.client('sfn');
  if (!options.wait) {
    if (options.json) io.stdout(`${JSON.stringify(summary, null, 2)}\n`);
    else out(`follow it with: npx shaketable status ${runId}\n`);
    return 0;
  }

  const timeoutSeconds = await stateMachineTimeoutSeconds(sfn, outputs.stateMachineArn);
  const startedAt = (started.startDate ?? session.clock.now()).getTime();
  const followed = await followExecution(sfn, executionArn, {
    pollMs: timing.pollMs,
    sleep: timing.sleep,
    now: () => session.clock.now().getTime(),
    // a few polls of slack: Step Functions ends a timed-out execution on its own schedule
    deadline: startedAt + timeoutSeconds * 1000 + 3 * timing.pollMs,
    onEvent: (event) => {
      for (const line of describeEvent(event, runId)) out(`${line}\n`);
    },
  });
  const status = followed.description.status ?? 'UNKNOWN';

  // The result's location: the execution itself, else the run table (the Janitor writes results of aborted runs).
  let located = publishedOf(followed);
  if (!located) {
    const run = await (await session.ledger()).getRun(runId);
    if (run?.resultUri) located = { resultUri: run.resultUri, ...(run.reportUri ? { reportUri: run.reportUri } : {}) };
  }
  if (!located) {
    const failure = failureOf(followed);
    const why = failure ? `${failure.error}${failure.message ? `: ${failure.message}` : ''}` : 'no error recorded';
    if (failure?.error === 'Shaketable.InvalidInput') {
      throw new Error(`the workflow refused run ${runId}: ${failure.message || why}`);
    }
    io.stderr(
      `error: execution ${status} (${why}) and no result was written yet; the Janitor writes one for aborted or timed-out runs within minutes: npx shaketable status ${runId}\n`,
    );
    if (options.json) io.stdout(`${JSON.stringify({ ...summary, status, error: why }, null, 2)}\n`);
    return INTERNAL_ERROR_EXIT_CODE;
  }

  const result = await (await session.results()).get(located.resultUri);
  const region = outputs.region;
  const reportUrl = located.reportUri ? s3ConsoleUrl(located.reportUri, region) : undefined;
  out(`\n${formatOutcome(result, located, reportUrl)}`);

  const cwd = options.cwd ?? process.cwd();
  const links = {
    ...(reportUrl ? { report: reportUrl } : {}),
    result: s3ConsoleUrl(located.resultUri, region),
    execution: consoleUrl,
  };
  if (options.junit) await writeOutput(resolve(cwd, options.junit), toJUnit(result), out, 'junit');
  if (options.summary)
    await writeOutput(resolve(cwd, options.summary), toMarkdownSummary(result, links), out, 'summary');
  if (options.json) {
    io.stdout(
      `${JSON.stringify(
        {
          ...summary,
          status,
          verdict: result.verdict,
          reasons: result.reasons,
          resultUri: located.resultUri,
          ...(located.reportUri ? { reportUri: located.reportUri } : {}),
          ...(reportUrl ? { reportUrl } : {}),
        },
        null,
        2,
      )}\n`,
    );
  }
  return exitCodeFor(result.verdict, allow);
}

function formatOutcome(result: Result, located: { resultUri: string; reportUri?: string }, reportUrl?: string): string {
  return [
    `verdict  ${result.verdict}`,
    ...result.reasons.map((r) => `  - ${r}`),
    '',
    `result   ${located.resultUri}`,
    ...(located.reportUri ? [`report   ${located.reportUri}`] : []),
    ...(reportUrl ? [`         ${reportUrl}`] : []),
    '',
  ].join('\n');
}

async function writeOutput(
  path: string,
  text: string,
  out: (s: string) => void,
  what: 'junit' | 'summary',
): Promise<void> {
  await (what === 'summary' ? appendSummary : writeJUnitFile)(path, text);
  out(`${what.padEnd(8)} ${path}\n`);
}
