// Plain-object fakes of the ports for running the real ASL: a virtual clock, an in-memory ledger with real lock
// semantics, a scripted fault injector that emits FIS-like state-change events, and synthetic metrics.
import { type Experiment, type ExperimentInput, Experiment as ExperimentSchema } from '../../core/experiment/schema.js';
import type {
  AlarmState,
  CatalogEntry,
  FaultState,
  LockResult,
  MetricQuery,
  RunRecord,
  RunSummary,
  Series,
  StartFaultRequest,
  StoredResult,
  TimeWindow,
} from '../../core/ports.js';
import type { Result } from '../../core/result/model.js';
import type { StepDeps } from '../../core/steps/deps.js';
import { faultEnded } from '../../core/steps/fault-ended.js';
import type { Settings } from '../../core/steps/settings.js';
import { LocalTaskTokens } from '../../local/workflow.js';

export const TEST_SETTINGS: Settings = {
  provider: 'aws',
  defaultIngestionDelaySeconds: 0,
  injectMarginSeconds: 0,
  defaultApprovalSeconds: 1,
};

export function experiment(overrides: Partial<ExperimentInput> = {}): Experiment {
  return ExperimentSchema.parse({
    version: 1,
    name: 'checkout-instance-loss',
    description: 'Losing one instance does not hurt checkout.',
    owner: 'team-checkout',
    hypothesis: 'p99 stays under 500 ms and no 5xx while one instance is lost.',
    fault: {
      template: {
        targets: {
          web: { resourceType: 'aws:ec2:instance', resourceTags: { app: 'checkout' }, selectionMode: 'COUNT(1)' },
        },
        actions: { kill: { actionId: 'aws:ec2:terminate-instances', targets: { Instances: 'web' } } },
        stopConditions: ['checkout-5xx-high'],
      },
      observe: 'PT5M',
      maxDuration: 'PT2S',
    },
    guardrails: { alarms: ['checkout-latency-high'], blastRadius: { maxTargets: 1 } },
    steadyState: {
      baseline: 'PT10M',
      period: 'PT1M',
      probes: {
        latency: {
          metric: { namespace: 'AWS/ApplicationELB', name: 'TargetResponseTime', stat: 'p99' },
          tolerance: { max: 0.2 },
        },
        errors: {
          metric: { namespace: 'AWS/ApplicationELB', name: 'HTTPCode_Target_5XX_Count', stat: 'Sum' },
          tolerance: { max: 0 },
        },
      },
    },
    expect: { during: { latency: { max: 0.5 } }, recovery: 'PT5M' },
    ...overrides,
  });
}

export type FaultScript = {
  /** how long the fault runs before FIS reports its end (virtual ms) */
  runsForMs?: number;
  endStatus?: string;
  endReason?: string;
  /** EventBridge delivery of the end event: once (default), twice, never */
  delivery?: 'once' | 'twice' | 'lost';
  /** the experiment never ends on its own (only a stop ends it) */
  hangs?: boolean;
  /** deliver the end event from inside StartExperiment, before InjectFault wrote the pointer */
  endsDuringStart?: boolean;
  targets?: string[];
};

/** `fault`: which fault (1-based, in start order: a ramp's step) runs at `t`; 0 when none does. */
export type MetricScript = (probe: string, t: number, inFault: boolean, fault: number) => number | undefined;

export class World {
  offsetMs = 0;
  readonly runs = new Map<string, RunRecord>();
  readonly locks = new Map<string, { owner: string; expiresAt: number }>();
  readonly faults = new Map<string, FaultState & { tags: Record<string, string> }>();
  readonly stored: Result[] = [];
  readonly notifications: Array<{ verdict: string; experiment: string; ramp?: RunSummary['ramp'] }> = [];
  readonly approvals: string[] = [];
  readonly calls: string[] = [];
  /** every StartExperiment request, in order (a ramp's steps each start one) */
  readonly starts: StartFaultRequest[] = [];
  killSwitch = { on: false } as { on: boolean; reason?: string };
  alarmStates: Record<string, AlarmState['state']> = {};
  alarmHistory: Array<{ name: string; at: number }> = [];
  pool = ['i-1', 'i-2', 'i-3'];
  fault: FaultScript = {};
  metric: MetricScript = (probe) => (probe === 'latency' ? 0.1 : 0);
  notifierDown = false;
  storeFailures = 0;
  faultCount = 0;
  readonly tokens = new LocalTaskTokens();
  deps!: StepDeps & { tokens: LocalTaskTokens };

  now(): number {
    return Date.now() + this.offsetMs;
  }

  advance(ms: number): void {
    this.offsetMs += ms;
  }

  faultWindow(): TimeWindow | undefined {
    const f = [...this.faults.values()][0];
    if (!f?.startTime) return undefined;
    return { start: f.startTime, end: f.endTime ?? Number.POSITIVE_INFINITY };
  }

  /** Which fault (1-based, in start order) runs at `t`, 0 when none does. */
  faultAt(t: number): number {
    const all = [...this.faults.values()];
    const i = all.findIndex((f) => f.startTime !== undefined && t >= f.startTime && t < (f.endTime ?? Infinity));
    return i + 1;
  }

  emitEnd(id: string): void {
    const f = this.faults.get(id)!;
    const event = {
      'detail-type': 'FIS Experiment State Change',
      source: 'aws.fis',
      detail: { 'experiment-id': id, 'new-state': { status: f.status, reason: f.reason } },
    };
    const deliveries = this.fault.delivery === 'lost' ? 0 : this.fault.delivery === 'twice' ? 2 : 1;
    for (let i = 0; i < deliveries; i++)
      void faultEnded(this.deps, event).then((o) => this.calls.push(`FaultEnded:${o.action}`));
  }
}

export function createWorld(entry: Omit<CatalogEntry, 'compiledAlarms'> & { compiledAlarms?: string[] }): World {
  const world = new World();
  const settings = TEST_SETTINGS;
  const deps: StepDeps & { tokens: LocalTaskTokens } = {
    settings,
    clock: { now: () => new Date(world.now()) },
    catalog: {
      list: async () => [entry.experiment.name],
      get: async (name) => {
        if (name !== entry.experiment.name) throw new Error(`no experiment ${name}`);
        return { compiledAlarms: [], ...entry };
      },
    },
    killSwitch: {
      get: async () => world.killSwitch,
      set: async (on, reason) => {
        world.killSwitch = { on, ...(reason ? { reason } : {}) };
      },
    },
    alarms: {
      getStates: async (names) => names.map((name) => ({ name, state: world.alarmStates[name] ?? 'OK' })),
      alarmTransitions: async (names, window) =>
        world.alarmHistory.filter((h) => names.includes(h.name) && h.at >= window.start && h.at <= window.end),
    },
    targets: {
      resolve: async (target, t) => ({
        target,
        resourceType: t.resourceType,
        eligible: [...world.pool],
        selectionMode: t.selectionMode,
      }),
    },
    faults: {
      start: async (request) => {
        world.calls.push('StartExperiment');
        world.starts.push(request);
        const id = `EXP${++world.faultCount}`;
        const script = world.fault;
        const state = {
          experimentId: id,
          status: 'running',
          startTime: world.now(),
          targets: script.targets ?? ['i-1'],
          tags: {
            'shaketable:run': request.runId,
            ...(request.step === undefined ? {} : { 'shaketable:step': String(request.step) }),
          },
        };
        world.faults.set(id, state);
        if (!script.hangs) {
          const end = () => {
            const f = world.faults.get(id)!;
            if (f.status !== 'running') return;
            // FIS runs at least `observe` (the CDK adds an aws:fis:wait action of that length)
            world.advance(script.runsForMs ?? 300_000);
            f.status = script.endStatus ?? 'completed';
            if (script.endReason) f.reason = script.endReason;
            f.endTime = world.now();
            world.emitEnd(id);
          };
          if (script.endsDuringStart) end();
          else setTimeout(end, 5);
        }
        return { ...state };
      },
      findByRun: async (runId, step) => {
        const f = [...world.faults.values()].find(
          (x) =>
            x.tags['shaketable:run'] === runId &&
            x.tags['shaketable:step'] === (step === undefined ? undefined : String(step)),
        );
        return f ? { ...f } : undefined;
      },
      get: async (id) => {
        const f = world.faults.get(id);
        if (!f) throw new Error(`no experiment ${id}`);
        return { ...f };
      },
      stop: async (id) => {
        world.calls.push(`StopExperiment:${id}`);
        const f = world.faults.get(id)!;
        f.status = 'stopped';
        f.endTime = world.now();
        world.emitEnd(id);
        return { ...f };
      },
    },
    metrics: {
      getSeries: async (queries: MetricQuery[], window: TimeWindow, periodSeconds: number) => {
        world.calls.push('GetMetricData');
        const out: Record<string, Series> = {};
        for (const q of queries) {
          if (q.expression) continue;
          const series: Series = [];
          for (let t = window.start; t < window.end; t += periodSeconds * 1000) {
            const fault = world.faultAt(t);
            const v = world.metric(q.id, t, fault > 0, fault);
            if (v !== undefined) series.push([t, v]);
          }
          out[q.id] = series;
        }
        return out;
      },
    },
    ledger: {
      acquireLock: async (key, runId, expiresAt): Promise<LockResult> => {
        const held = world.locks.get(key);
        if (held && held.expiresAt >= world.now() / 1000 && held.owner !== runId) {
          return { acquired: false, holder: held.owner, expiresAt: held.expiresAt };
        }
        world.locks.set(key, { owner: runId, expiresAt });
        return { acquired: true, expiresAt };
      },
      releaseLock: async (key, runId) => {
        if (world.locks.get(key)?.owner === runId) world.locks.delete(key);
      },
      putRun: async (run) => {
        world.runs.set(run.runId, { ...run });
      },
      updateRun: async (runId, fields) => {
        const run = world.runs.get(runId);
        if (!run) throw new Error(`no run ${runId}`);
        world.runs.set(runId, { ...run, ...fields });
      },
      getRun: async (runId) => world.runs.get(runId),
      findRunByFaultId: async (id) => [...world.runs.values()].find((r) => r.fisExperimentId === id),
      // As the run table's indexes answer: newest first, up to `limit`.
      listRuns: async (filter) =>
        [...world.runs.values()]
          .filter((r) => !filter.status || r.status === filter.status)
          .filter((r) => !filter.experiment || r.experiment === filter.experiment)
          .sort((a, b) => b.startedAt.localeCompare(a.startedAt))
          .slice(0, filter.limit ?? Number.POSITIVE_INFINITY),
    },
    // As the run table's conditional writes: an ack lands on a run not yet evaluated, closing keeps the first time.
    acks: {
      appendAck: async (runId, ack) => {
        const run = world.runs.get(runId);
        if (!run) return { accepted: false, refusal: 'unknown' };
        if (run.evaluatedAt !== undefined || run.status === 'DONE')
          return { accepted: false, refusal: 'evaluated', run };
        const updated = { ...run, acks: [...(run.acks ?? []), ack] };
        world.runs.set(runId, updated);
        return { accepted: true, run: { ...updated } };
      },
      readAcks: async (runId) => world.runs.get(runId)?.acks ?? [],
      closeAcks: async (runId, at) => {
        const run = world.runs.get(runId);
        if (!run) return [];
        world.runs.set(runId, { ...run, evaluatedAt: run.evaluatedAt ?? at });
        return run.acks ?? [];
      },
    },
    results: {
      put: async (result): Promise<StoredResult> => {
        if (world.storeFailures > 0) {
          world.storeFailures--;
          const error = new Error('S3 is down');
          error.name = 'ServiceUnavailable';
          throw error;
        }
        world.stored.push(result);
        return { resultUri: `mem://${result.runId}/result.json`, reportUri: `mem://${result.runId}/report.html` };
      },
      get: async (uri) => {
        const found = world.stored.find((r) => uri.startsWith(`mem://${r.runId}/`));
        if (!found) throw new Error(`no result at ${uri}`);
        return found;
      },
    },
    notifier: {
      publish: async (summary) => {
        if (world.notifierDown) throw Object.assign(new Error('SNS unavailable'), { name: 'InternalErrorException' });
        world.notifications.push({
          verdict: summary.verdict,
          experiment: summary.experiment,
          ...(summary.ramp ? { ramp: summary.ramp } : {}),
        });
      },
    },
    approvals: {
      requestApproval: async (request) => {
        world.approvals.push(request.runId);
      },
    },
    tokens: world.tokens,
    renderReport: (result) => `<html>${result.verdict}</html>`,
  };
  world.deps = deps;
  return world;
}

/** A metric script: healthy everywhere except `probe` takes `value` during the fault. */
export function breachDuringFault(probe: string, value: number): MetricScript {
  return (p, _t, inFault) => (p === probe && inFault ? value : p === 'latency' ? 0.1 : 0);
}
