// Figure 1 (and the counts figures 2 and 6 reuse): one experiment run through THE state machine definition under
// aws-local-stepfunctions, on a virtual clock, with the plain port fakes of test/workflow/fakes.ts, counting state
// transitions from the execution's event log; beside it the same run done the usual sample way, a polling loop.
// aws-local-stepfunctions 3 needs Promise.withResolvers (Node ≥ 22); the tests' polyfill covers Node 20.
import '../test/setup.js';
import { StateMachine } from 'aws-local-stepfunctions';
import type { ExperimentInput } from '../core/experiment/schema.js';
import { baseline } from '../core/steps/baseline.js';
import type { StepDeps } from '../core/steps/deps.js';
import { outcomeOf } from '../core/steps/fault-outcome.js';
import { injectFault } from '../core/steps/inject-fault.js';
import { load } from '../core/steps/load.js';
import { observe } from '../core/steps/observe.js';
import type { Plan } from '../core/steps/plan.js';
import { AWS_SETTINGS } from '../core/steps/settings.js';
import {
  type LocalTaskTokens,
  loadDefinition,
  runWorkflow,
  type StateHandler,
  stateTransitions,
  taskSteps,
  type WorkflowEvent,
} from '../local/workflow.js';
import { createWorld, experiment, type World } from '../test/workflow/fakes.js';

/** Retries an AWS run adds that a local run does not meet. */
export interface AwsRetries {
  /** Lambda throttles the first invocation of Load (Lambda.TooManyRequestsException: the function never ran) */
  lambdaThrottle: boolean;
  /** CloudWatch is late: the first Observe finds the recovery window's data incomplete (Shaketable.DataNotReady) */
  dataNotReady: boolean;
}

export interface RunCounts {
  verdict: string | undefined;
  status: string;
  transitions: number;
  /** Task states entered or retried whose code ran (a throttled invocation never runs) */
  lambdaInvocations: Record<string, number>;
  retried: Array<{ state: string; error: string }>;
  events: WorkflowEvent[];
}

export const POLL_SECONDS = 5;

/** The fixture experiment of the workflow tests, with a fault phase of `faultMinutes` (FIS keeps it armed). */
export function experimentWithFault(faultMinutes: number, overrides: Partial<ExperimentInput> = {}) {
  const base = experiment();
  return experiment({
    fault: {
      ...(base.fault as ExperimentInput['fault']),
      observe: `PT${faultMinutes}M`,
      maxDuration: `PT${faultMinutes + 10}M`,
    },
    ...overrides,
  });
}

/** A world of the workflow fakes with the AWS settings (ingestion delay PT3M, inject margin), as a cloud run has. */
export function awsWorld(faultMinutes: number, overrides: Partial<ExperimentInput> = {}): World {
  const world = createWorld({ experiment: experimentWithFault(faultMinutes, overrides) });
  world.deps = { ...world.deps, settings: AWS_SETTINGS };
  world.fault = { runsForMs: faultMinutes * 60_000 };
  return world;
}

function throttledOnce(state: string, real: StateHandler): StateHandler {
  let calls = 0;
  return async (input) => {
    if (++calls === 1) {
      // What Step Functions sees when Lambda refuses the invoke: the code never ran.
      const error = new Error(`Rate exceeded invoking ${state}`);
      error.name = 'Lambda.TooManyRequestsException';
      throw error;
    }
    return real(input);
  };
}

/** Observe after the Wait, with the virtual clock moved by what the Wait (and any retry interval) would last. */
function observeAfterWait(world: World, late: boolean): StateHandler {
  let attempts = 0;
  let fault: string | undefined;
  return async (input) => {
    const i = input as { fault: { waitSeconds: number; experimentId?: string } };
    // a ramp observes once per step: each step's first attempt follows its own Wait
    if (i.fault.experimentId !== fault) {
      fault = i.fault.experimentId;
      attempts = 0;
    }
    attempts++;
    if (attempts === 1) {
      // Late CloudWatch data, seen as the step sees it: the clock is short of the data-complete time.
      world.advance(i.fault.waitSeconds * 1000 - (late ? 1000 : 0));
    } else {
      // the ASL's DataNotReady retry interval (IntervalSeconds 30)
      world.advance(30_000);
    }
    return observe(world.deps, input as never);
  };
}

let runCounter = 0;

/**
 * One run of the real ASL against `world`. `around` wraps the Baseline and Observe steps (the metric reads), e.g.
 * to attribute the calls they make.
 */
export async function runOnce(
  world: World,
  retries: AwsRetries = { lambdaThrottle: false, dataNotReady: false },
  around: (state: string, step: StateHandler) => StateHandler = (_state, step) => step,
): Promise<RunCounts> {
  const runId = `bench-${++runCounter}`;
  const overrides: Record<string, StateHandler> = {
    Baseline: around('Baseline', (i) => baseline(world.deps, i as never)),
    Observe: around('Observe', observeAfterWait(world, retries.dataNotReady)),
  };
  if (retries.lambdaThrottle) overrides.Load = throttledOnce('Load', (i) => load(world.deps, i as never));
  const execution = runWorkflow(
    world.deps,
    { experiment: await firstName(world) },
    {
      runId,
      waitOverridesMs: { WaitForRecovery: 0 },
      retryPauseMs: 0,
      overrides,
    },
  );
  const outcome = await execution.result;
  return countsOf(world, outcome.status, execution.events);
}

async function firstName(world: World): Promise<string> {
  const [name] = await world.deps.catalog.list();
  if (!name) throw new Error('the bench world has an empty catalog');
  return name;
}

const TASK_STATES = new Set(
  Object.entries(loadDefinition<{ States: Record<string, { Type: string }> }>().States)
    .filter(([, s]) => s.Type === 'Task')
    .map(([name]) => name),
);

function countsOf(world: World, status: string, events: WorkflowEvent[]): RunCounts {
  const lambdaInvocations: Record<string, number> = {};
  const retried: Array<{ state: string; error: string }> = [];
  const lastError = new Map<string, string>();
  for (const e of events) {
    if (!e.state) continue;
    if (e.type === 'StateFailed') lastError.set(e.state, e.error ?? '?');
    // the retry event carries no error: it is the one the attempt before it failed with
    if (e.type === 'StateRetried') retried.push({ state: e.state, error: lastError.get(e.state) ?? '?' });
    if (TASK_STATES.has(e.state) && (e.type === 'StateEntered' || e.type === 'StateRetried'))
      lambdaInvocations[e.state] = (lambdaInvocations[e.state] ?? 0) + 1;
    // A throttled invoke is refused before the function runs: not an invocation (nor billed).
    if (e.type === 'StateFailed' && e.error === 'Lambda.TooManyRequestsException')
      lambdaInvocations[e.state] = (lambdaInvocations[e.state] ?? 1) - 1;
  }
  return {
    verdict: world.stored.at(-1)?.verdict,
    status,
    transitions: stateTransitions(events),
    lambdaInvocations,
    retried,
    events,
  };
}

/**
 * The same definition with InjectFault replaced by the usual sample loop: start the experiment, then
 * Wait(5 s) → GetExperiment → Choice until it has ended. Every other state is the real one.
 */
export function pollingDefinition(): Record<string, unknown> {
  const definition = loadDefinition<{ States: Record<string, Record<string, unknown>> }>();
  const inject = definition.States.InjectFault!;
  const arn = (name: string) => `arn:aws:lambda:us-east-1:000000000000:function:shaketable-${name}`;
  definition.States.InjectFault = {
    Type: 'Task',
    Comment: 'starts the FIS experiment and returns at once',
    Resource: arn('StartFault'),
    Parameters: { 'plan.$': '$.Payload.plan' },
    ResultPath: '$.started',
    Catch: inject.Catch,
    Next: 'PollWait',
  };
  definition.States.PollWait = { Type: 'Wait', Seconds: POLL_SECONDS, Next: 'GetExperiment' };
  definition.States.GetExperiment = {
    Type: 'Task',
    Resource: arn('GetExperiment'),
    Parameters: { 'plan.$': '$.plan', 'experimentId.$': '$.started.experimentId' },
    ResultPath: '$.fault',
    Catch: inject.Catch,
    Next: 'FaultDone',
  };
  definition.States.FaultDone = {
    Type: 'Choice',
    Choices: [{ Variable: '$.fault.ended', BooleanEquals: false, Next: 'PollWait' }],
    Default: 'WaitForRecovery',
  };
  return definition;
}

/** The polling variant, run the same way (same fakes, same virtual clock, same event-log count). */
export async function runPolling(world: World, faultMinutes: number): Promise<RunCounts> {
  world.fault = { hangs: true };
  const deps = world.deps as StepDeps & { tokens: LocalTaskTokens };
  const runId = `bench-poll-${++runCounter}`;
  const faultMs = faultMinutes * 60_000;
  let startedAt = 0;
  const steps: Record<string, StateHandler> = {
    StartFault: async (i) => {
      const { plan } = i as { plan: Plan };
      // The real InjectFault step (re-checks, run record, StartExperiment); nobody waits on its token here.
      const started = await injectFault(deps, { plan, token: `${runId}/unused`, timeoutSeconds: 0 });
      startedAt = world.now();
      return started;
    },
    GetExperiment: async (i) => {
      const { plan, experimentId } = i as { plan: Plan; experimentId: string };
      world.advance(POLL_SECONDS * 1000); // what PollWait lasts
      const fault = world.faults.get(experimentId);
      if (!fault) throw new Error(`no experiment ${experimentId}`);
      if (fault.status === 'running' && world.now() - startedAt >= faultMs) {
        fault.status = 'completed';
        fault.endTime = world.now();
      }
      const state = await deps.faults.get(experimentId);
      return outcomeOf(state, state.status !== 'running', undefined, plan, world.now());
    },
  };
  // Every other Task state runs the same step as runWorkflow maps it to.
  const noTokens =
    (state: string): StateHandler =>
    async () => {
      throw new Error(`${state} waits for a task token: not part of the polling run`);
    };
  const handlers: Record<string, StateHandler> = {
    ...taskSteps(deps, noTokens),
    // the InjectFault state of the polling definition is the StartFault task
    InjectFault: steps.StartFault!,
    GetExperiment: steps.GetExperiment!,
    Observe: observeAfterWait(world, false),
  };
  const machine = new StateMachine(pollingDefinition() as never, {
    validationOptions: { checkArn: true, checkPaths: true },
  });
  const execution = machine.run({ experiment: await firstName(world) } as never, {
    overrides: {
      taskResourceLocalHandlers: Object.fromEntries(
        Object.entries(handlers).map(([state, handler]) => [
          state,
          async (i: unknown) => JSON.parse(JSON.stringify((await handler(i)) ?? null)),
        ]),
      ) as never,
      waitTimeOverrides: { WaitForRecovery: 0, PollWait: 0 },
    },
    context: {
      Execution: { Name: runId, StartTime: deps.clock.now().toISOString(), Input: {} },
      Task: { Token: 'unused' },
    } as never,
  });
  const events: WorkflowEvent[] = [];
  for await (const e of execution.eventLogs) {
    events.push({
      type: e.type,
      at: e.timestamp,
      ...('state' in e && e.state ? { state: e.state.name } : {}),
      ...('Error' in e ? { error: String(e.Error) } : {}),
    });
  }
  let status = 'SUCCEEDED';
  await execution.result.catch((error: unknown) => {
    status = `FAILED (${(error as Error).name})`;
  });
  return countsOf(world, status, events);
}

export interface TransitionFigures {
  faultMinutes: number;
  eventDriven: RunCounts;
  withRetries: RunCounts;
  polling: RunCounts;
  /** 3 per poll over the fault + the fixed states: what the executed polling run should have counted */
  pollingFormula: number;
}

export async function benchTransitions(faultMinutes: number): Promise<TransitionFigures> {
  const eventDriven = await runOnce(awsWorld(faultMinutes));
  const withRetries = await runOnce(awsWorld(faultMinutes), { lambdaThrottle: true, dataNotReady: true });
  const polling = await runPolling(awsWorld(faultMinutes), faultMinutes);
  for (const [name, r] of Object.entries({ eventDriven, withRetries, polling })) {
    if (r.status !== 'SUCCEEDED' || r.verdict !== 'PASSED')
      throw new Error(`bench run "${name}" (${faultMinutes} min) ended ${r.status} with ${r.verdict}: not measurable`);
  }
  const retriedStates = withRetries.retried.map((r) => `${r.state}:${r.error}`).sort();
  if (retriedStates.join() !== ['Load:Lambda.TooManyRequestsException', 'Observe:Shaketable.DataNotReady'].join())
    throw new Error(`the retry run retried ${retriedStates.join(', ') || 'nothing'}, not the two retries it models`);
  // InjectFault (one state) becomes StartFault + ⌈fault / 5 s⌉ × (PollWait, GetExperiment, FaultDone).
  const polls = Math.ceil((faultMinutes * 60) / POLL_SECONDS);
  return { faultMinutes, eventDriven, withRetries, polling, pollingFormula: eventDriven.transitions + 3 * polls };
}

/** The steps of the bench ramp: a target grown from one instance to all of them, in one run. */
export const RAMP_STEPS = ['COUNT(1)', 'PERCENT(50)', 'ALL'];

export interface RampTransitionFigures {
  steps: number;
  /** transitions of the ramp run, per fault length (minutes) */
  byFault: Array<{ faultMinutes: number; transitions: number; verdict: string | undefined }>;
}

/**
 * A 3-step ramp (fault.ramp over the fixture's `web` target, one FIS template per step as the CDK deploys them) on
 * the AWS settings, for a 1-minute and a 60-minute fault: the loop re-enters the same states per step, so the count
 * grows with the steps, not with the fault.
 */
export async function benchRampTransitions(): Promise<RampTransitionFigures> {
  const byFault = [];
  for (const faultMinutes of [1, 60]) {
    const base = experimentWithFault(faultMinutes);
    const definition = experimentWithFault(faultMinutes, {
      fault: { ...(base.fault as ExperimentInput['fault']), ramp: { target: 'web', steps: RAMP_STEPS } },
      guardrails: { alarms: ['checkout-latency-high'], blastRadius: { maxTargets: 4 } },
    });
    const templateIds = RAMP_STEPS.map((_, i) => `EXTstep${i + 1}`);
    const world = createWorld({ experiment: definition, templateId: templateIds[0], stepTemplateIds: templateIds });
    world.deps = {
      ...world.deps,
      settings: AWS_SETTINGS,
      templates: {
        describe: async (id) => ({
          id,
          tags: { 'shaketable:experiment': definition.name },
          template: definition.fault.template!,
        }),
      },
    };
    world.fault = { runsForMs: faultMinutes * 60_000 };
    world.pool = ['i-1', 'i-2', 'i-3', 'i-4'];
    const counts = await runOnce(world);
    const reached = world.stored.at(-1)?.steps?.length ?? 0;
    if (counts.status !== 'SUCCEEDED' || counts.verdict !== 'PASSED' || reached !== RAMP_STEPS.length)
      throw new Error(
        `bench ramp (${faultMinutes} min) ended ${counts.status} with ${counts.verdict} after ${reached} steps`,
      );
    byFault.push({ faultMinutes, transitions: counts.transitions, verdict: counts.verdict });
  }
  return { steps: RAMP_STEPS.length, byFault };
}
