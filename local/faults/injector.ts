// The local FaultInjector: FIS in miniature for the demo system. It resolves `local:instance` targets, applies the
// selection mode, runs the template's actions (terminate, network latency, HTTP errors) along `startAfter`, keeps the
// experiment running for `observe` as the CDK's aws:fis:wait action does, watches the stop-condition alarms while it
// runs, and reports FIS-like states: pending, initiating, running, completed, stopping, stopped, failed.
import { randomBytes } from 'node:crypto';
import { durationSeconds } from '../../core/duration.js';
import type { Action, Experiment, Target } from '../../core/experiment/schema.js';
import type { FaultInjector, FaultState, StartFaultRequest, TargetPool, TargetPools } from '../../core/ports.js';
import { selectTargets } from '../../core/targets/selection.js';
import type { AlarmTransition, LocalAlarms } from '../alarms.js';
import { abortAlarmName } from '../alarms.js';
import type { DemoInstance } from '../demo/instance.js';
import type { Supervisor } from '../demo/supervisor.js';

export const LOCAL_INSTANCE = 'local:instance';
export const LOCAL_ACTIONS = ['local:instance:terminate', 'local:network:latency', 'local:http:errors'] as const;
export const TERMINAL_STATES = ['completed', 'stopped', 'failed'] as const;

/** No local experiment with that id (FIS: ResourceNotFoundException). */
export class FaultNotFoundError extends Error {
  override readonly name = 'Shaketable.FaultNotFound';
}

/** A template the local injector cannot run: unknown resource type, action or parameter. */
export class UnsupportedFaultError extends Error {
  override readonly name = 'Shaketable.UnsupportedFault';
}

export function isTerminal(status: string): boolean {
  return (TERMINAL_STATES as readonly string[]).includes(status);
}

interface Applied {
  instance: DemoInstance;
  kind: 'latency' | 'errors';
}

interface Run {
  state: FaultState;
  runId: string;
  /** a ramp's step (1-based): each step is its own experiment */
  step: number | undefined;
  abort: AbortController;
  applied: Applied[];
  /** effects being applied right now: a stop waits for them, then undoes them */
  applying: Set<Promise<unknown>>;
  ended: Promise<FaultState>;
  resolveEnd: (state: FaultState) => void;
  unsubscribe?: () => void;
}

export interface LocalFaultInjectorOptions {
  supervisor: Supervisor;
  alarms: LocalAlarms;
  /** [0, 1) random source for the selection mode; pass a seeded one for reproducible tests */
  random?: () => number;
}

export class LocalFaultInjector implements FaultInjector, TargetPools {
  private readonly runs = new Map<string, Run>();
  private readonly listeners: Array<(state: FaultState) => void> = [];

  constructor(private readonly options: LocalFaultInjectorOptions) {}

  /** The pool of a `local:instance` target: every instance alive now. */
  async resolve(name: string, target: Target): Promise<TargetPool> {
    if (target.resourceType !== LOCAL_INSTANCE) {
      throw new UnsupportedFaultError(
        `fault.template.targets.${name}.resourceType ${target.resourceType} is not served locally; use ${LOCAL_INSTANCE}`,
      );
    }
    return {
      target: name,
      resourceType: target.resourceType,
      eligible: this.options.supervisor.aliveIds(),
      selectionMode: target.selectionMode,
    };
  }

  /** Called on every state change of every local experiment. */
  onStateChange(listener: (state: FaultState) => void): void {
    this.listeners.push(listener);
  }

  /**
   * Starts the experiment; `runId` (with a ramp's step) is the client token, so starting the same run (step) twice
   * returns the same experiment.
   */
  async start(request: StartFaultRequest): Promise<FaultState> {
    const started = await this.findByRun(request.runId, request.step);
    if (started) return started;
    const id = `EXP${randomBytes(8).toString('hex')}`;
    let resolveEnd!: (state: FaultState) => void;
    const ended = new Promise<FaultState>((resolve) => {
      resolveEnd = resolve;
    });
    const run: Run = {
      state: { experimentId: id, status: 'pending', startTime: Date.now() },
      runId: request.runId,
      step: request.step,
      abort: new AbortController(),
      applied: [],
      applying: new Set(),
      ended,
      resolveEnd,
    };
    this.runs.set(id, run);
    this.transition(run, 'initiating');
    const snapshot = { ...run.state };
    void this.execute(run, request.experiment);
    return snapshot;
  }

  async get(experimentId: string): Promise<FaultState> {
    return { ...this.run(experimentId).state };
  }

  /** Stops a running experiment and undoes its effects; resolves with the final `stopped` state. Idempotent. */
  async stop(experimentId: string, reason = 'stopped by the operator'): Promise<FaultState> {
    const run = this.run(experimentId);
    await this.halt(run, reason);
    return { ...run.state };
  }

  /** The experiment a run (a ramp's step) started, as FIS finds it by its `shaketable:run` and `shaketable:step` tags. */
  async findByRun(runId: string, step?: number): Promise<FaultState | undefined> {
    for (const run of this.runs.values()) if (run.runId === runId && run.step === step) return { ...run.state };
    return undefined;
  }

  /** Resolves with the experiment's terminal state (completed, stopped or failed). */
  waitForEnd(experimentId: string): Promise<FaultState> {
    return this.run(experimentId).ended;
  }

  /** Stops every experiment that has not ended (sandbox shutdown). */
  async stopAll(reason = 'sandbox stopped'): Promise<void> {
    await Promise.all([...this.runs.values()].map((run) => this.halt(run, reason)));
  }

  private run(experimentId: string): Run {
    const run = this.runs.get(experimentId);
    if (!run) throw new FaultNotFoundError(`no local fault experiment ${experimentId}`);
    return run;
  }

  private transition(run: Run, status: string, reason?: string): void {
    run.state = { ...run.state, status, ...(reason !== undefined ? { reason } : {}) };
    if (isTerminal(status)) {
      run.state.endTime = Date.now();
      run.unsubscribe?.();
      run.resolveEnd({ ...run.state });
    }
    for (const listener of this.listeners) listener({ ...run.state });
  }

  private async halt(run: Run, reason: string): Promise<void> {
    if (isTerminal(run.state.status) || run.state.status === 'stopping') {
      await run.ended;
      return;
    }
    this.transition(run, 'stopping', reason);
    const undoFailures = await this.abortAndUndo(run);
    this.transition(run, 'stopped', undoFailures.length ? `${reason}; ${undoFailures.join('; ')}` : reason);
  }

  private async execute(run: Run, experiment: Experiment): Promise<void> {
    try {
      const template = experiment.fault.template;
      if (!template) throw new UnsupportedFaultError(`${experiment.name}: the local sandbox needs fault.template`);
      for (const [name, action] of Object.entries(template.actions)) checkAction(name, action);
      // The CDK attaches abortWhen alarms to the template as extra stop conditions; so do we.
      const stopConditions = [
        ...(template.stopConditions ?? []),
        ...Object.keys(experiment.guardrails?.abortWhen ?? {}).map((probe) => abortAlarmName(experiment.name, probe)),
      ];
      const known = new Set(this.options.alarms.names());
      const unknown = stopConditions.filter((name) => !known.has(name));
      if (unknown.length)
        throw new UnsupportedFaultError(`stop condition(s) ${unknown.join(', ')} are not local alarms`);

      const pools = await Promise.all(Object.entries(template.targets).map(([n, t]) => this.resolve(n, t)));
      const selected = new Map<string, string[]>();
      for (const pool of pools) {
        selected.set(pool.target, selectTargets(pool.selectionMode, pool.eligible, this.options.random));
      }
      run.state.targets = [...new Set([...selected.values()].flat())];
      const skipEmpty = template.experimentOptions?.emptyTargetResolutionMode === 'skip';
      for (const [name, action] of Object.entries(template.actions)) {
        for (const target of Object.values(action.targets ?? {})) {
          if ((selected.get(target) ?? []).length === 0 && !skipEmpty) {
            this.transition(
              run,
              'failed',
              `Target resolution returned no resources for target ${target} (action ${name})`,
            );
            return;
          }
        }
      }

      const watch = (t: AlarmTransition) => {
        if (t.to === 'ALARM' && stopConditions.includes(t.name)) {
          void this.halt(run, `stop condition ${t.name} is in ALARM: ${t.reason}`);
        }
      };
      run.unsubscribe = this.options.alarms.onTransition(watch);
      const states = await this.options.alarms.getStates(stopConditions);
      const firing = states.find((s) => s.state === 'ALARM');
      if (firing) {
        await this.halt(run, `stop condition ${firing.name} is in ALARM: ${firing.reason ?? ''}`.trim());
        return;
      }
      if (run.state.status !== 'initiating') return;
      this.transition(run, 'running');

      const observeMs =
        (experiment.fault.observe
          ? durationSeconds(experiment.fault.observe)
          : 5 * durationSeconds(experiment.steadyState.period)) * 1000;
      const observe = sleep(run.state.startTime! + observeMs - Date.now(), run.abort.signal);
      await Promise.all([this.runActions(run, template.actions, selected), observe]);
      if (run.abort.signal.aborted) return;
      const undoFailures = await this.undo(run);
      if (run.abort.signal.aborted) return;
      if (undoFailures.length) this.transition(run, 'failed', undoFailures.join('; '));
      else this.transition(run, 'completed', 'Experiment completed.');
    } catch (error) {
      if (run.abort.signal.aborted) return; // stopped meanwhile: halt() owns the final state
      const undoFailures = await this.abortAndUndo(run);
      const message = error instanceof Error ? error.message : String(error);
      this.transition(run, 'failed', [message, ...undoFailures].join('; '));
    }
  }

  /** Runs the actions along `startAfter`: each starts when every action it names has finished. */
  private async runActions(run: Run, actions: Record<string, Action>, selected: Map<string, string[]>): Promise<void> {
    const done = new Map<string, Promise<void>>();
    const start = (name: string, path: string[]): Promise<void> => {
      const existing = done.get(name);
      if (existing) return existing;
      if (path.includes(name))
        throw new UnsupportedFaultError(`actions form a startAfter cycle: ${[...path, name].join(' → ')}`);
      const action = actions[name];
      if (!action) throw new UnsupportedFaultError(`startAfter names unknown action ${name}`);
      const after = (action.startAfter ?? []).map((n) => start(n, [...path, name]));
      const promise = Promise.all(after).then(() => {
        if (run.abort.signal.aborted) return;
        const ids = Object.values(action.targets ?? {}).flatMap((t) => selected.get(t) ?? []);
        return this.runAction(run, action, ids);
      });
      done.set(name, promise);
      return promise;
    };
    await Promise.all(Object.keys(actions).map((name) => start(name, [])));
  }

  private async runAction(run: Run, action: Action, ids: string[]): Promise<void> {
    const instances = ids
      .map((id) => this.options.supervisor.instance(id))
      .filter((i): i is DemoInstance => !!i?.alive);
    const params = action.parameters ?? {};
    if (action.actionId === 'local:instance:terminate') {
      for (const instance of instances) instance.kill();
      return;
    }
    const durationMs = durationSeconds(params.duration!) * 1000;
    const percent = Number(params.percent ?? '100');
    const kind = action.actionId === 'local:network:latency' ? 'latency' : 'errors';
    const applying = Promise.all(
      instances.map(async (instance) => {
        try {
          if (kind === 'latency')
            await instance.setLatency({ delayMilliseconds: Number(params.delayMilliseconds), percent });
          else await instance.setErrors({ status: Number(params.status ?? '500'), percent });
          run.applied.push({ instance, kind });
        } catch (error) {
          // A target that died meanwhile carries no effect to inject; a live one refusing is a real failure.
          if (instance.alive) throw error;
        }
      }),
    );
    run.applying.add(applying);
    await applying.finally(() => run.applying.delete(applying));
    if (run.abort.signal.aborted) return;
    await sleep(durationMs, run.abort.signal);
    if (run.abort.signal.aborted) return;
    const mine = run.applied.filter((a) => a.kind === kind && instances.includes(a.instance));
    const failures = await undoEach(mine);
    run.applied = run.applied.filter((a) => !mine.includes(a));
    if (failures.length) throw new Error(failures.join('; '));
  }

  /** Ends every action at once, lets effects being applied land, then removes them all. */
  private async abortAndUndo(run: Run): Promise<string[]> {
    run.abort.abort();
    await Promise.allSettled([...run.applying]);
    return this.undo(run);
  }

  /** Removes every effect still applied; returns what could not be undone on a live instance. */
  private async undo(run: Run): Promise<string[]> {
    const applied = run.applied;
    run.applied = [];
    return undoEach(applied);
  }
}

async function undoEach(applied: Applied[]): Promise<string[]> {
  const results = await Promise.allSettled(
    applied.map((a) => (a.kind === 'latency' ? a.instance.clearLatency() : a.instance.clearErrors())),
  );
  return results.flatMap((r, i) =>
    r.status === 'rejected' && applied[i]!.instance.alive
      ? [`could not undo ${applied[i]!.kind} on ${applied[i]!.instance.id}: ${String(r.reason)}`]
      : [],
  );
}

/** Refuses, before anything is injected, an action the local injector does not know or whose parameters are wrong. */
function checkAction(name: string, action: Action): void {
  const where = `fault.template.actions.${name}`;
  if (!(LOCAL_ACTIONS as readonly string[]).includes(action.actionId)) {
    throw new UnsupportedFaultError(
      `${where}.actionId ${action.actionId} is not a local action; use ${LOCAL_ACTIONS.join(', ')}`,
    );
  }
  if (action.actionId === 'local:instance:terminate') return;
  const params = action.parameters ?? {};
  const numeric = (key: string, min: number, max: number, required: boolean) => {
    const value = params[key];
    if (value === undefined) {
      if (required) throw new UnsupportedFaultError(`${where}.parameters.${key} is required for ${action.actionId}`);
      return;
    }
    const n = Number(value);
    if (!Number.isFinite(n) || n < min || n > max) {
      throw new UnsupportedFaultError(
        `${where}.parameters.${key} is ${value}; it must be a number in [${min}, ${max}]`,
      );
    }
  };
  if (!params.duration)
    throw new UnsupportedFaultError(`${where}.parameters.duration is required for ${action.actionId}`);
  durationSeconds(params.duration);
  numeric('percent', 0, 100, false);
  if (action.actionId === 'local:network:latency') numeric('delayMilliseconds', 0, 60_000, true);
  else numeric('status', 400, 599, false);
}

/** Resolves after `ms`, or at once when the signal aborts. */
function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted || ms <= 0) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}
