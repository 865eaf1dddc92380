// Local CloudWatch-style alarms: the experiment's `local.alarms` and its `guardrails.abortWhen` (compiled, as the CDK
// does in AWS, into alarms named `<experiment>-abort-<probe>`), evaluated at every period boundary on the local metric
// store. They answer the AlarmSource port (guardrail alarms) and act as the local fault's stop conditions.
import { durationSeconds } from '../core/duration.js';
import type { Experiment } from '../core/experiment/schema.js';
import { referencedIds } from '../core/expression/parse.js';
import {
  type AlarmSource,
  type AlarmState,
  type AlarmStateValue,
  type Clock,
  type MetricQuery,
  type MetricSource,
  systemClock,
  type TimeWindow,
} from '../core/ports.js';
import { defaultMissing } from '../core/steady-state/missing.js';

export interface LocalAlarmDefinition {
  name: string;
  probe: string;
  max?: number;
  min?: number;
  /** consecutive periods out of bounds before ALARM */
  for: number;
  origin: 'local.alarms' | 'guardrails.abortWhen';
}

export interface AlarmTransition {
  name: string;
  from: AlarmStateValue;
  to: AlarmStateValue;
  at: number;
  reason: string;
}

/** An alarm refers to a probe the experiment does not declare (validation should have caught it). */
export class UnknownProbeError extends Error {
  override readonly name = 'Shaketable.UnknownProbe';
}

/**
 * Name of the alarm compiled from `guardrails.abortWhen.<probe>`: `<experiment>-abort-<probe>`. The local sandbox and
 * the CDK stack use this one function so that a stop condition reads the same in both.
 */
export function abortAlarmName(experiment: string, probe: string): string {
  return `${experiment}-abort-${probe}`;
}

/** Every local alarm of an experiment: `local.alarms` under their own names, then one per `abortWhen` entry. */
export function localAlarmDefinitions(experiment: Experiment): LocalAlarmDefinition[] {
  const local = Object.entries(experiment.local?.alarms ?? {}).map(
    ([name, a]): LocalAlarmDefinition => ({
      name,
      probe: a.probe,
      max: a.max,
      min: a.min,
      for: a.for,
      origin: 'local.alarms',
    }),
  );
  const abort = Object.entries(experiment.guardrails?.abortWhen ?? {}).map(
    ([probe, t]): LocalAlarmDefinition => ({
      name: abortAlarmName(experiment.name, probe),
      probe,
      max: t.max,
      min: t.min,
      for: t.for,
      origin: 'guardrails.abortWhen',
    }),
  );
  return [...local, ...abort];
}

/** The queries that read `probeNames`, with every probe their expressions refer to (transitively). */
export function queriesFor(experiment: Experiment, probeNames: string[]): MetricQuery[] {
  const probes = experiment.steadyState.probes;
  const wanted = new Map<string, MetricQuery>();
  const visit = (name: string) => {
    if (wanted.has(name)) return;
    const probe = Object.hasOwn(probes, name) ? probes[name] : undefined;
    if (!probe) throw new UnknownProbeError(`${experiment.name}: no probe named "${name}" in steadyState.probes`);
    wanted.set(name, { id: name, metric: probe.metric, expression: probe.expression, missing: defaultMissing(probe) });
    for (const id of probe.expression ? referencedIds(probe.expression) : []) visit(id);
  };
  for (const name of probeNames) visit(name);
  return [...wanted.values()];
}

/** Evaluate a little after the boundary, so that requests completing in the last millisecond are in. */
const EVALUATION_DELAY_MS = 50;

export class LocalAlarms implements AlarmSource {
  private readonly definitions: LocalAlarmDefinition[];
  private readonly states = new Map<string, { value: AlarmStateValue; reason: string; since: number }>();
  private readonly transitions: AlarmTransition[] = [];
  private readonly listeners: Array<(transition: AlarmTransition) => void> = [];
  private readonly periodMs: number;
  private timer: NodeJS.Timeout | undefined;
  private evaluating: Promise<void> | undefined;
  /** the last evaluation's failure (an unreadable probe), kept so that it is seen rather than lost in a timer */
  lastError: Error | undefined;

  constructor(
    private readonly experiment: Experiment,
    private readonly metrics: MetricSource,
    private readonly clock: Clock = systemClock,
  ) {
    this.definitions = localAlarmDefinitions(experiment);
    this.periodMs = durationSeconds(experiment.steadyState.period) * 1000;
    const now = clock.now().getTime();
    for (const d of this.definitions) {
      queriesFor(experiment, [d.probe]); // fails now, not at the first evaluation, on an unknown probe
      this.states.set(d.name, { value: 'INSUFFICIENT_DATA', reason: 'not evaluated yet', since: now });
    }
  }

  names(): string[] {
    return this.definitions.map((d) => d.name);
  }

  definition(name: string): LocalAlarmDefinition | undefined {
    return this.definitions.find((d) => d.name === name);
  }

  /** Evaluates at every period boundary until stop(). */
  start(): void {
    if (this.timer) return;
    const schedule = () => {
      const now = this.clock.now().getTime();
      const next = Math.floor(now / this.periodMs) * this.periodMs + this.periodMs + EVALUATION_DELAY_MS;
      this.timer = setTimeout(() => {
        // A failure is kept in lastError and thrown by getStates(), where a caller will see it.
        this.evaluateNow().then(
          () => this.timer && schedule(),
          () => this.timer && schedule(),
        );
      }, next - now);
    };
    schedule();
  }

  async stop(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    await this.evaluating;
  }

  onTransition(listener: (transition: AlarmTransition) => void): () => void {
    this.listeners.push(listener);
    return () => {
      const i = this.listeners.indexOf(listener);
      if (i >= 0) this.listeners.splice(i, 1);
    };
  }

  /** True once every alarm has left INSUFFICIENT_DATA (the runner waits for it before the workflow starts). */
  allHaveData(): boolean {
    return [...this.states.values()].every((s) => s.value !== 'INSUFFICIENT_DATA');
  }

  history(name?: string): AlarmTransition[] {
    return this.transitions.filter((t) => name === undefined || t.name === name);
  }

  async getStates(names: string[]): Promise<AlarmState[]> {
    if (this.lastError) throw this.lastError;
    return names.map((name) => {
      const state = this.states.get(name);
      return state ? { name, state: state.value, reason: state.reason } : { name, state: 'MISSING' as const };
    });
  }

  async alarmTransitions(names: string[], window: TimeWindow): Promise<Array<{ name: string; at: number }>> {
    return this.transitions
      .filter((t) => t.to === 'ALARM' && names.includes(t.name) && t.at >= window.start && t.at < window.end)
      .map((t) => ({ name: t.name, at: t.at }));
  }

  /** Evaluates every alarm once on the periods completed by now (one evaluation at a time). */
  evaluateNow(): Promise<void> {
    const run = (this.evaluating ?? Promise.resolve()).then(() => this.evaluateAll());
    this.evaluating = run.catch(() => undefined);
    return run;
  }

  private async evaluateAll(): Promise<void> {
    const now = this.clock.now().getTime();
    const boundary = Math.floor(now / this.periodMs) * this.periodMs;
    try {
      for (const d of this.definitions) await this.evaluate(d, boundary, now);
      this.lastError = undefined;
    } catch (error) {
      this.lastError = error instanceof Error ? error : new Error(String(error));
      throw this.lastError;
    }
  }

  /**
   * CloudWatch's rule with M = N = `for`: ALARM when each of the last `for` complete periods breaches (a missing
   * datapoint breaches only under `missing: breach`), INSUFFICIENT_DATA when none of them has a datapoint, else OK.
   */
  private async evaluate(d: LocalAlarmDefinition, boundary: number, now: number): Promise<void> {
    const window = { start: boundary - d.for * this.periodMs, end: boundary };
    const queries = queriesFor(this.experiment, [d.probe]);
    const series = (await this.metrics.getSeries(queries, window, this.periodMs / 1000))[d.probe] ?? [];
    const policy = queries.find((q) => q.id === d.probe)!.missing;
    const values = new Map(series.filter(([t]) => t >= window.start && t < window.end));
    const bound = d.max !== undefined ? `greater than the threshold (${d.max})` : `less than the threshold (${d.min})`;
    const breaches = (v: number) => (d.max !== undefined ? v > d.max : d.min !== undefined && v < d.min);
    let breaching = 0;
    const seen: string[] = [];
    for (let start = window.start; start < window.end; start += this.periodMs) {
      const value = values.get(start);
      seen.push(value === undefined ? 'missing' : String(Math.round(value * 1000) / 1000));
      if (value === undefined ? policy === 'breach' : breaches(value)) breaching += 1;
    }
    let next: AlarmStateValue;
    let reason: string;
    if (values.size === 0) {
      next = 'INSUFFICIENT_DATA';
      reason = `no datapoint for ${d.probe} in the last ${d.for} period(s)`;
    } else if (breaching >= d.for) {
      next = 'ALARM';
      reason = `Threshold Crossed: ${d.probe} [${seen.join(', ')}] ${bound} for ${d.for} period(s)`;
    } else {
      next = 'OK';
      reason = `${d.probe} [${seen.join(', ')}] not ${bound} for ${d.for} period(s)`;
    }
    const current = this.states.get(d.name)!;
    if (current.value === next) {
      current.reason = reason;
      return;
    }
    this.states.set(d.name, { value: next, reason, since: now });
    const transition: AlarmTransition = { name: d.name, from: current.value, to: next, at: now, reason };
    this.transitions.push(transition);
    for (const listener of this.listeners) listener(transition);
  }
}
