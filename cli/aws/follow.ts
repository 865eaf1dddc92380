// Following one execution live (`run --wait`): DescribeExecution + the new part of GetExecutionHistory every few
// seconds, each state entered printed as a phase line (with what its step found, when it says something useful),
// until the execution ends or outlives the state machine's own TimeoutSeconds.
import {
  DescribeExecutionCommand,
  type DescribeExecutionCommandOutput,
  DescribeStateMachineCommand,
  GetExecutionHistoryCommand,
  type HistoryEvent,
  type SFNClient,
} from '@aws-sdk/client-sfn';
import type { Check } from '../../core/result/model.js';

/** Standard workflows run at most one year: the bound when the definition sets no TimeoutSeconds. */
const MAX_EXECUTION_SECONDS = 365 * 24 * 3600;

export interface FollowOptions {
  pollMs: number;
  sleep(ms: number): Promise<void>;
  now(): number;
  /** epoch ms after which an execution still RUNNING is reported as overdue */
  deadline: number;
  onEvent(event: HistoryEvent): void;
}

export interface FollowedExecution {
  description: DescribeExecutionCommandOutput;
  /** every history event, oldest first */
  events: HistoryEvent[];
}

/** The execution is still RUNNING after the state machine's timeout (plus a margin): something is wrong with it. */
export class ExecutionOverdueError extends Error {
  override readonly name = 'Shaketable.ExecutionOverdue';
}

/** The state machine's TimeoutSeconds (its definition's top level), or the one-year limit of standard workflows. */
export async function stateMachineTimeoutSeconds(sfn: SFNClient, stateMachineArn: string): Promise<number> {
  const { definition } = await sfn.send(new DescribeStateMachineCommand({ stateMachineArn }));
  const timeout = definition ? (JSON.parse(definition) as { TimeoutSeconds?: unknown }).TimeoutSeconds : undefined;
  return typeof timeout === 'number' && timeout > 0 ? timeout : MAX_EXECUTION_SECONDS;
}

export async function followExecution(
  sfn: SFNClient,
  executionArn: string,
  options: FollowOptions,
): Promise<FollowedExecution> {
  const events: HistoryEvent[] = [];
  let lastId = 0;
  for (;;) {
    // Describe first, then read history: once the status is final, the history read after it is complete.
    const description = await sfn.send(new DescribeExecutionCommand({ executionArn }));
    const fresh = await newEvents(sfn, executionArn, lastId);
    for (const event of fresh) {
      events.push(event);
      options.onEvent(event);
    }
    lastId = events.at(-1)?.id ?? lastId;
    if (description.status !== 'RUNNING' && description.status !== 'PENDING_REDRIVE') return { description, events };
    if (options.now() > options.deadline) {
      throw new ExecutionOverdueError(
        `execution ${executionArn} is still ${description.status} after the state machine's timeout; see it in the console`,
      );
    }
    await options.sleep(options.pollMs);
  }
}

/** Events with an id above `afterId`, oldest first: newest pages are read until the known part is reached. */
async function newEvents(sfn: SFNClient, executionArn: string, afterId: number): Promise<HistoryEvent[]> {
  const found: HistoryEvent[] = [];
  let nextToken: string | undefined;
  do {
    const page = await sfn.send(
      new GetExecutionHistoryCommand({
        executionArn,
        reverseOrder: true,
        maxResults: 100,
        includeExecutionData: true,
        ...(nextToken ? { nextToken } : {}),
      }),
    );
    for (const event of page.events ?? []) {
      if ((event.id ?? 0) <= afterId) return found.reverse();
      found.push(event);
    }
    nextToken = page.nextToken;
  } while (nextToken);
  return found.reverse();
}

const PHASES: Record<string, string> = {
  Load: 'loading the experiment from the deployed catalog',
  Preflight: 'checking the guardrails',
  Approval: 'waiting for approval',
  Baseline: 'measuring the steady-state baseline',
  InjectFault: 'injecting the fault with FIS; waiting for it to end',
  Reconcile: 'no FIS event in time: asking FIS how the fault ended',
  StopOverdueFault: 'stopping the fault, which outlived maxDuration',
  WaitForRecovery: 'waiting for recovery and metric ingestion',
  Observe: 'reading the fault and recovery metrics',
  Evaluate: 'deciding the verdict',
  Publish: 'publishing result.json and report.html',
  StopFault: 'an error occurred: making sure the fault is stopped',
  PublishError: 'writing the ERROR result',
};

/** Lines to print for one history event: a phase line per state entered, and what some steps found. */
export function describeEvent(event: HistoryEvent, runId: string): string[] {
  const time = event.timestamp ? `${event.timestamp.toISOString().slice(11, 19)}Z` : '';
  const entered = event.stateEnteredEventDetails;
  if (entered && (event.type === 'TaskStateEntered' || event.type === 'WaitStateEntered')) {
    const name = entered.name ?? '';
    const phase = PHASES[name];
    if (!phase) return [];
    let detail = phase;
    if (name === 'Approval') detail = `${phase}: npx shaketable approve ${runId} (or npx shaketable reject ${runId})`;
    if (name === 'WaitForRecovery') {
      const seconds = (json(entered.input, entered.inputDetails?.truncated) as { fault?: { waitSeconds?: unknown } })
        ?.fault?.waitSeconds;
      if (typeof seconds === 'number') detail = `waiting ${seconds} s for recovery and metric ingestion`;
    }
    return [`  ${time}  ${name} — ${detail}`];
  }
  const exited = event.stateExitedEventDetails;
  if (exited && event.type === 'TaskStateExited') {
    const output = json(exited.output, exited.outputDetails?.truncated) as StateOutput | undefined;
    if (!output) return [];
    switch (exited.name) {
      case 'Preflight':
        return (output.preflight?.checks ?? []).map((c) => `      ${c.ok ? '✓' : '✗'} ${c.message}`);
      case 'Baseline':
        if (!output.baseline) return [];
        return output.baseline.held
          ? ['      baseline in steady state']
          : [`      baseline not steady: ${(output.baseline.reasons ?? []).join('; ')}`];
      case 'InjectFault':
      case 'Reconcile':
      case 'StopOverdueFault':
        return output.fault?.experimentId
          ? [
              `      fault ${output.fault.experimentId}: ${output.fault.status ?? 'unknown'}${output.fault.reason ? ` (${output.fault.reason})` : ''}`,
            ]
          : [];
      default:
        return [];
    }
  }
  return [];
}

interface StateOutput {
  preflight?: { checks?: Check[] };
  baseline?: { held?: boolean; reasons?: string[] };
  fault?: { experimentId?: string; status?: string; reason?: string };
  published?: { verdict?: string; resultUri?: string; reportUri?: string };
}

/** Parses state data; a payload Step Functions truncated is not JSON any more and is left out of the progress. */
function json(text: string | undefined, truncated: boolean | undefined): unknown {
  if (text === undefined || truncated) return undefined;
  return JSON.parse(text);
}

/** Where the run's result is: the execution output (SUCCEEDED) or the last Publish/PublishError state output. */
export function publishedOf(followed: FollowedExecution): { resultUri: string; reportUri?: string } | undefined {
  const fromOutput = followed.description.output
    ? (
        json(followed.description.output, followed.description.outputDetails?.included === false) as
          | StateOutput
          | undefined
      )?.published
    : undefined;
  if (fromOutput?.resultUri) return withReport(fromOutput.resultUri, fromOutput.reportUri);
  for (const event of [...followed.events].reverse()) {
    const exited = event.stateExitedEventDetails;
    if (event.type !== 'TaskStateExited' || !exited) continue;
    if (exited.name !== 'Publish' && exited.name !== 'PublishError') continue;
    const published = (json(exited.output, exited.outputDetails?.truncated) as StateOutput | undefined)?.published;
    if (published?.resultUri) return withReport(published.resultUri, published.reportUri);
  }
  return undefined;
}

function withReport(resultUri: string, reportUri: string | undefined) {
  return reportUri ? { resultUri, reportUri } : { resultUri };
}

/** The most specific failure in the history: a step's own error (Lambda or task), else the execution's. */
export function failureOf(followed: FollowedExecution): { error: string; message: string } | undefined {
  for (const event of [...followed.events].reverse()) {
    const detail = event.lambdaFunctionFailedEventDetails ?? event.taskFailedEventDetails;
    if (detail?.error) return { error: detail.error, message: causeMessage(detail.cause) };
  }
  const { error, cause } = followed.description;
  return error ? { error, message: causeMessage(cause) } : undefined;
}

/** A Lambda error's cause is JSON `{errorType, errorMessage, …}`; anything else is shown as it is. */
function causeMessage(cause: string | undefined): string {
  if (!cause) return '';
  if (cause.startsWith('{')) {
    try {
      const parsed = JSON.parse(cause) as { errorMessage?: unknown };
      if (typeof parsed.errorMessage === 'string') return parsed.errorMessage;
    } catch (error) {
      // Not JSON after all: the cause text is still the best description there is.
      if (!(error instanceof SyntaxError)) throw error;
    }
  }
  return cause.split('\n')[0] ?? cause;
}
