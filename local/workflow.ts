// Runs THE deployed state machine definition (statemachines/experiment.asl.json) with aws-local-stepfunctions,
// each Task state mapped by name to the same step code the Lambda handlers call. The `.waitForTaskToken`
// tasks (Approval, InjectFault, HoldForMitigation) resolve when their token is completed through the TaskTokens port, as in AWS.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import './polyfills.js';
import { StateMachine, type StateMachineDefinition } from 'aws-local-stepfunctions';
import type { TaskTokens } from '../core/ports.js';
import { approval } from '../core/steps/approval.js';
import { baseline } from '../core/steps/baseline.js';
import type { StepDeps } from '../core/steps/deps.js';
import { evaluate } from '../core/steps/evaluate.js';
import { holdForMitigation } from '../core/steps/hold-for-mitigation.js';
import { injectFault } from '../core/steps/inject-fault.js';
import { load } from '../core/steps/load.js';
import { observe } from '../core/steps/observe.js';
import { preflight } from '../core/steps/preflight.js';
import { publish } from '../core/steps/publish.js';
import { reconcile } from '../core/steps/reconcile.js';
import { resolveTargets } from '../core/steps/resolve-targets.js';
import { stopFault } from '../core/steps/stop-fault.js';

export const DEFINITION_PATH = fileURLToPath(new URL('../statemachines/experiment.asl.json', import.meta.url));

/**
 * The definition with every `${X}` substituted (as the CDK does with real ARNs), typed as aws-local-stepfunctions
 * reads it; tests and the bench read it as plain JSON (`loadDefinition<{ States: … }>()`).
 */
export function loadDefinition<T = StateMachineDefinition>(): T {
  const text = readFileSync(DEFINITION_PATH, 'utf8').replace(/\$\{([A-Za-z]+)FunctionArn\}/g, (_all, name: string) => {
    return `arn:aws:lambda:us-east-1:000000000000:function:shaketable-${name}`;
  });
  const unresolved = /\$\{[^}]+\}/.exec(text);
  if (unresolved) throw new Error(`${DEFINITION_PATH}: no local value for substitution ${unresolved[0]}`);
  return JSON.parse(text);
}

/** In-process task tokens: a waiting task resolves when its token is completed; a second completion returns false. */
export class LocalTaskTokens implements TaskTokens {
  private readonly waiting = new Map<string, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  private readonly spent = new Set<string>();

  wait(token: string): Promise<unknown> {
    return new Promise((resolve, reject) => this.waiting.set(token, { resolve, reject }));
  }

  async succeed(token: string, output: unknown): Promise<boolean> {
    const waiter = this.take(token);
    waiter?.resolve(JSON.parse(JSON.stringify(output)));
    return waiter !== undefined;
  }

  async fail(token: string, error: string, cause: string): Promise<boolean> {
    const waiter = this.take(token);
    if (waiter) {
      const failure = new Error(cause);
      failure.name = error;
      waiter.reject(failure);
    }
    return waiter !== undefined;
  }

  /** Tokens still waiting, e.g. a run waiting for approval. */
  pending(): string[] {
    return [...this.waiting.keys()];
  }

  private take(token: string) {
    if (this.spent.has(token)) return undefined;
    const waiter = this.waiting.get(token);
    if (waiter) {
      this.waiting.delete(token);
      this.spent.add(token);
    }
    return waiter;
  }
}

let prepared: StateMachine | undefined;

/**
 * The definition, validated once per process (aws-local-stepfunctions checks every path and ARN, ~200 ms of
 * synchronous work). The sandbox runner prepares it before the demo system starts, so the stall never lands
 * inside a measured phase, where it would show as request latency.
 */
export function stateMachine(): StateMachine {
  prepared ??= new StateMachine(loadDefinition(), {
    validationOptions: { checkArn: true, checkPaths: true },
  });
  return prepared;
}

export type StateHandler = (input: unknown) => Promise<unknown>;

export interface WorkflowEvent {
  type: string;
  state?: string;
  at: number;
  error?: string;
}

export interface RunWorkflowOptions {
  runId: string;
  /** override a state's step (tests inject failures this way); the default is the real step */
  overrides?: Partial<Record<string, StateHandler>>;
  /** Wait state durations in ms (tests shorten them); unset: real durations */
  waitOverridesMs?: Record<string, number>;
  /** Retry pause in ms for every state (tests: 0); unset: the definition's backoff */
  retryPauseMs?: number;
  onEvent?: (event: WorkflowEvent) => void;
}

export interface WorkflowRun {
  result: Promise<{ status: 'SUCCEEDED' | 'FAILED' | 'ABORTED'; output?: unknown; error?: string; cause?: string }>;
  events: WorkflowEvent[];
  abort: () => void;
}

/** A step as the state machine runs it: the event is the JSON its ASL state builds, typed by the step itself. */
export type TokenStep<E = never> = (deps: StepDeps, event: E) => Promise<unknown>;

/** The step each Task state of the definition runs; states that wait for a task token go through `withToken`. */
export function taskSteps(
  deps: StepDeps,
  withToken: <E>(state: string, step: TokenStep<E>) => StateHandler,
): Record<string, StateHandler> {
  // The one cast: what the state machine passes is the event the ASL state builds for this step.
  const run =
    <E>(step: (deps: StepDeps, event: E) => Promise<unknown>): StateHandler =>
    (input) =>
      step(deps, input as E);
  return {
    Load: run(load),
    ResolveTargets: run(resolveTargets),
    Preflight: run(preflight),
    Approval: withToken('Approval', approval),
    Baseline: run(baseline),
    InjectFault: withToken('InjectFault', injectFault),
    Reconcile: run(reconcile),
    StopOverdueFault: run(stopFault),
    Observe: run(observe),
    HoldForMitigation: withToken('HoldForMitigation', holdForMitigation),
    Evaluate: run(evaluate),
    Publish: run(publish),
    StopFault: run(stopFault),
    PublishError: run(publish),
  };
}

export function runWorkflow(
  deps: StepDeps & { tokens: LocalTaskTokens },
  input: unknown,
  options: RunWorkflowOptions,
): WorkflowRun {
  let tokenCount = 0;
  const withToken = <E>(state: string, step: TokenStep<E>): StateHandler => {
    return async (raw) => {
      const { Payload } = raw as { Payload: Record<string, unknown> };
      // aws-local-stepfunctions has one static $$.Task.Token per execution; give each task its own, as AWS does.
      const token = `${options.runId}/${state}/${++tokenCount}`;
      const completed = deps.tokens.wait(token);
      await step(deps, { ...Payload, token } as E);
      return completed;
    };
  };
  const handlers = taskSteps(deps, withToken);
  for (const [state, handler] of Object.entries(options.overrides ?? {})) if (handler) handlers[state] = handler;
  // Values cross the state machine as JSON, as they do in AWS (no Dates, no undefined).
  const taskResourceLocalHandlers = Object.fromEntries(
    Object.entries(handlers).map(([state, handler]) => [
      state,
      async (i: unknown) => JSON.parse(JSON.stringify((await handler(i)) ?? null)),
    ]),
  );

  const machine = stateMachine();
  const retryIntervalOverrides =
    options.retryPauseMs === undefined
      ? undefined
      : Object.fromEntries(Object.keys(handlers).map((s) => [s, options.retryPauseMs as number]));
  // The execution input as JSON, as AWS takes it.
  const json = JSON.parse(JSON.stringify(input));
  const execution = machine.run(json, {
    overrides: {
      taskResourceLocalHandlers,
      ...(options.waitOverridesMs ? { waitTimeOverrides: options.waitOverridesMs } : {}),
      ...(retryIntervalOverrides ? { retryIntervalOverrides } : {}),
    },
    noThrowOnAbort: true,
    context: {
      Execution: { Name: options.runId, StartTime: deps.clock.now().toISOString(), Input: json },
      Task: { Token: 'replaced-per-task' },
    },
  });

  const events: WorkflowEvent[] = [];
  const logging = (async () => {
    for await (const e of execution.eventLogs) {
      const entry: WorkflowEvent = {
        type: e.type,
        at: e.timestamp,
        ...('state' in e && e.state ? { state: e.state.name } : {}),
        ...('Error' in e ? { error: String(e.Error) } : {}),
      };
      events.push(entry);
      options.onEvent?.(entry);
    }
  })();

  const result = execution.result.then(
    async (output) => {
      await logging;
      return output === null ? { status: 'ABORTED' as const } : { status: 'SUCCEEDED' as const, output };
    },
    async (error: unknown) => {
      await logging;
      const failure = error as { name?: string; message?: string; cause?: { name?: string; message?: string } };
      return {
        status: 'FAILED' as const,
        error: failure.cause?.name ?? failure.name ?? 'Error',
        cause: failure.cause?.message ?? failure.message ?? String(error),
      };
    },
  );
  return { result, events, abort: execution.abort };
}

/** State transitions as Step Functions bills them: one per state entered (retries add one each). */
export function stateTransitions(events: readonly WorkflowEvent[]): number {
  return events.filter((e) => e.type === 'StateEntered' || e.type === 'StateRetried').length;
}
