// Evaluate: the verdict and its reasons from everything the run gathered (DESIGN §3), as result.json.

import { durationSeconds } from '../duration.js';
import { alarmName } from '../guardrails/alarm-names.js';
import { approvalCheck } from '../guardrails/approval.js';
import type { HostHealth, TimeWindow } from '../ports.js';
import { stepTemplateId } from '../ramp/ramp.js';
import { foldRampStep } from '../ramp/result.js';
import type { Ack, Check, Result, Response as ResultResponse, RunEvent } from '../result/model.js';
import { ackDetector, firstAckAfter, inTimeOrder } from '../run/acks.js';
import type { ProbeCheck } from '../steady-state/checks.js';
import type { Evaluation } from '../steady-state/evaluation.js';
import { evaluateHypothesis } from '../steady-state/hypothesis.js';
import { toResultPhases } from '../steady-state/phases.js';
import { toResultProbes } from '../steady-state/result.js';
import { decideVerdict } from '../verdict/decide.js';
import { nothingInjected } from '../verdict/fault-end.js';
import type { FaultEnd, HostPhaseName, VerdictInput } from '../verdict/model.js';
import { hostStarved } from '../verdict/rules/host-starved.js';
import type { BaselineOutput } from './baseline.js';
import type { StepDeps } from './deps.js';
import { describeStatesError } from './error-result.js';
import type { FaultOutcome } from './fault-outcome.js';
import type { ObserveOutput } from './observe.js';
import type { Plan } from './plan.js';
import type { PreflightOutput } from './preflight.js';
import { slice } from './probes.js';

/** The execution state as it reaches Evaluate: what ran is there, what did not is absent. */
export interface EvaluateState {
  plan: Plan;
  preflight?: PreflightOutput;
  approvalError?: { Error?: string; Cause?: string };
  baseline?: BaselineOutput;
  injectRefused?: { Error?: string; Cause?: string };
  fault?: FaultOutcome;
  observation?: ObserveOutput;
  /** a ramp past its first step: the result the steps before this one built */
  result?: Result;
  /** a GameDay whose hold for a `mitigated` ack reached maxDuration (HoldForMitigation's States.Timeout) */
  holdTimeout?: { Error?: string; Cause?: string };
}

/**
 * The state after Evaluate is just `{plan, result}`: the series read by Observe are in the result now, and dropping
 * the rest keeps the largest state of a run (Publish's input) within Step Functions' 256 KB payload limit
 * (https://docs.aws.amazon.com/step-functions/latest/dg/limits-overview.html); see also the validation rule
 * core/experiment/rules/payload-size.ts.
 */
export interface EvaluateOutput {
  plan: Plan;
  result: Result;
  /** a ramp whose step passed with a step left: the workflow runs the next step, whose plan `plan` is now */
  nextStep: boolean;
}

/**
 * `host` is optional: only the sandbox measures the host it runs on (CloudWatch measures elsewhere). `acks` closes
 * the run to acknowledgements and reads them: the verdict is decided on the acks recorded until now, and none after.
 */
export type EvaluateDeps = Pick<StepDeps, 'clock' | 'alarms' | 'faults' | 'host' | 'acks'>;

export async function evaluate(deps: EvaluateDeps, state: EvaluateState): Promise<EvaluateOutput> {
  const { plan } = state;
  const close = async () => inTimeOrder(await deps.acks.closeAcks(plan.runId, deps.clock.now().toISOString()));
  // Acks stay open while a ramp may run another step: its steps read them, and its last Evaluate closes them.
  const last = !plan.ramp || plan.ramp.index === plan.ramp.steps.length - 1;
  const acks = last ? await close() : inTimeOrder(await deps.acks.readAcks(plan.runId));
  const decided = await decideRun(deps, state, acks);
  if (!plan.ramp) return { plan, result: decided, nextStep: false };
  // A ramp: this step decided as a single run would, then folded into the steps before it.
  const ramp = { ...plan, ramp: plan.ramp };
  let progress = foldRampStep(ramp, state.result, decided);
  if (!last && !progress.next) {
    // The ramp stops before its last step: close the acks now, and decide again if one came in meanwhile.
    const closed = await close();
    if (closed.length !== acks.length)
      progress = foldRampStep(ramp, state.result, await decideRun(deps, state, closed));
  }
  return { plan: progress.next ?? plan, result: progress.result, nextStep: progress.next !== undefined };
}

async function decideRun(deps: EvaluateDeps, state: EvaluateState, acks: readonly Ack[]): Promise<Result> {
  const { plan } = state;
  const experiment = plan.definition;
  const checks: Check[] = [...(state.preflight?.checks ?? [])];
  if (state.approvalError) {
    const timedOut = state.approvalError.Error === 'States.Timeout';
    checks.push(approvalCheck(timedOut ? 'timed-out' : 'rejected', describeStatesError(state.approvalError)));
  }
  if (state.injectRefused) {
    checks.push({ name: 'injection', ok: false, message: describeStatesError(state.injectRefused) });
  }

  const faultEnd = state.fault
    ? await faultEndOf(deps, plan, state.fault, state.observation?.phases ?? undefined, state.preflight?.stopConditions)
    : undefined;
  const observed = state.observation?.phases
    ? { phases: state.observation.phases, series: state.observation.series }
    : undefined;
  const evaluation = observed
    ? evaluateHypothesis(
        experiment,
        {
          baseline: pick(observed.series, observed.phases.baseline),
          fault: pick(observed.series, observed.phases.fault),
          recovery: pick(observed.series, observed.phases.recovery),
        },
        { ...observed.phases, dataCompleteAt: observed.phases.recovery.end },
      )
    : undefined;
  // Only a fault that completed normally is judged by the hypothesis; otherwise the verdict comes from how the fault
  // ended, and the series are still evidence.
  const hypothesisChecks: ProbeCheck[] | undefined =
    evaluation && state.fault?.status === 'completed' ? evaluation.checks : undefined;
  const probes: Result['probes'] = evaluation ? toResultProbes(experiment, evaluation) : {};
  const resultPhases: Result['phases'] = observed
    ? toResultPhases({ ...observed.phases, dataCompleteAt: observed.phases.recovery.end })
    : {};

  const host = deps.host ? await hostPhases(deps.host, state) : undefined;
  const injected = faultEnd !== undefined && !nothingInjected(faultEnd);
  const detection = injected && state.fault ? await detectionOf(deps, plan, state.fault, acks) : undefined;
  const mitigation = injected && state.fault ? mitigationOf(plan, state.fault, acks) : undefined;
  const decision = decideVerdict({
    dryRun: plan.dryRun,
    preflight: checks,
    ...(state.baseline ? { baseline: { held: state.baseline.held, reasons: state.baseline.reasons } } : {}),
    ...(faultEnd ? { fault: faultEnd } : {}),
    ...(hypothesisChecks ? { hypothesis: { checks: hypothesisChecks } } : {}),
    ...(host ? { host } : {}),
    ...(detection?.expected ? { detection: detection.expected } : {}),
  });
  const endedAt = deps.clock.now().toISOString();
  const hit = await targetsHit(deps, state.fault);
  const probeChecks = [...(state.baseline?.checks ?? []), ...(hypothesisChecks ?? [])];
  const templateId = stepTemplateId(plan);
  return {
    runId: plan.runId,
    experiment: plan.experiment,
    hypothesis: experiment.hypothesis,
    description: experiment.description,
    ...(experiment.runbook ? { runbook: experiment.runbook } : {}),
    provider: plan.provider,
    verdict: decision.verdict,
    reasons: decision.reasons,
    startedAt: plan.startedAt,
    endedAt,
    trigger: plan.trigger,
    preflight: { checks },
    ...(probeChecks.length ? { hypothesisChecks: probeChecks } : {}),
    fis: {
      ...(state.fault?.experimentId ? { experimentId: state.fault.experimentId } : {}),
      ...(state.fault ? { state: state.fault.status } : {}),
      ...(templateId ? { templateId } : {}),
      targets: hit.slice(0, MAX_RESULT_TARGETS),
      ...(hit.length > MAX_RESULT_TARGETS ? { targetsTotal: hit.length } : {}),
    },
    phases: resultPhases,
    probes,
    ...(injected ? { response: responseOf(detection, mitigation, evaluation) } : {}),
    ...(acks.length ? { acks: [...acks] } : {}),
    ...(host ? { host: { starved: hostStarved({ preflight: checks, host }).length > 0, phases: host.phases } } : {}),
    events: timeline(state, decision.verdict, endedAt, detection, mitigation),
  };
}

/** result.json lists at most this many hit resources (a fleet-wide ALL would otherwise swell the state). */
export const MAX_RESULT_TARGETS = 100;

/**
 * What the fault hit: the fault service's resolved targets where it has them (FIS), else the injector's own state
 * (the sandbox's injector records what it picked).
 */
async function targetsHit(deps: Pick<StepDeps, 'faults'>, fault: FaultOutcome | undefined): Promise<string[]> {
  if (!fault?.experimentId) return [];
  if (!deps.faults.resolvedTargets) return fault.targets ?? [];
  const resolved = await deps.faults.resolvedTargets(fault.experimentId);
  return [...new Set(resolved.map((t) => t.resource))];
}

/**
 * The host's health over each phase that was measured (the sandbox only): the baseline alone when nothing ran, and
 * before the run a baseline-long window, the data the guardrail alarms read at Preflight.
 */
async function hostPhases(host: HostHealth, state: EvaluateState): Promise<NonNullable<VerdictInput['host']>> {
  const { plan } = state;
  const started = Date.parse(plan.startedAt);
  const windows: Partial<Record<HostPhaseName, TimeWindow>> = {
    ...(state.preflight ? { preflight: { start: started - plan.baselineSeconds * 1000, end: started } } : {}),
    ...(state.observation?.phases ?? (state.baseline ? { baseline: state.baseline.window } : {})),
  };
  const phases: NonNullable<VerdictInput['host']>['phases'] = {};
  for (const [phase, window] of Object.entries(windows) as Array<[keyof typeof windows, TimeWindow]>) {
    phases[phase] = await host.measure(window, plan.periodSeconds);
  }
  return { phases };
}

function pick(series: Record<string, Array<[number, number]>>, window: { start: number; end: number }) {
  return Object.fromEntries(Object.entries(series).map(([id, s]) => [id, slice(s, window)]));
}

async function faultEndOf(
  deps: Pick<StepDeps, 'clock' | 'alarms'>,
  plan: Plan,
  fault: FaultOutcome,
  observed?: NonNullable<ObserveOutput['phases']>,
  stopConditions?: string[],
): Promise<FaultEnd> {
  const end: FaultEnd = {
    status: fault.status,
    ...(fault.reason ? { reason: fault.reason } : {}),
    ...(fault.stopCause ? { stopCause: fault.stopCause } : {}),
    stopConditionAlarmsFired: false,
    // FIS lists resolved ARNs only for ARN-selected targets; the actions' states tell for tag/filter selections.
    targetsResolved: fault.actionsStarted ?? (fault.targets?.length ?? 0) > 0,
  };
  // Only a stop shaketable did not cause needs the alarms' word: did a stop condition fire during the fault?
  if (fault.status === 'stopped' && !fault.stopCause) {
    // Preflight's list covers external templates (`templateId`) too; the file's own is the fallback.
    const names =
      stopConditions ??
      [...(plan.definition.fault.template?.stopConditions ?? []), ...plan.compiledAlarms].map(alarmName);
    const start = fault.startTime ? Date.parse(fault.startTime) : Date.parse(plan.startedAt);
    const stop = observed?.fault.end ?? (fault.endTime ? Date.parse(fault.endTime) : deps.clock.now().getTime());
    const fired = names.length ? await deps.alarms.alarmTransitions(names, { start, end: stop }) : [];
    end.stopConditionAlarmsFired = fired.length > 0;
    end.firedAlarms = [...new Set(fired.map((f) => f.name))];
  }
  return end;
}

/** What expect.detect found: the first listed alarm or `detected` ack after the fault started, and the verdict's input. */
interface Detection {
  first?: { name: string; at: number; seconds: number };
  expected?: NonNullable<VerdictInput['detection']>;
}

/** When the fault started: FIS's start time, else the run's (a fault that never reported one). */
function faultStartOf(plan: Plan, fault: FaultOutcome): number {
  return fault.startTime ? Date.parse(fault.startTime) : Date.parse(plan.startedAt);
}

/**
 * The first detection after the fault started: a detection alarm's first transition to ALARM (CloudWatch alarm
 * history on AWS, the local alarms' history in the sandbox) or a responder's first `detected` ack, whichever came
 * first. Alarms are read only when expect.detect lists some; a detection later than `within` is reported but does
 * not count.
 */
async function detectionOf(
  deps: Pick<StepDeps, 'clock' | 'alarms'>,
  plan: Plan,
  fault: FaultOutcome,
  acks: readonly Ack[],
): Promise<Detection> {
  const detect = plan.definition.expect.detect;
  const start = faultStartOf(plan, fault);
  const transitions = detect
    ? await deps.alarms.alarmTransitions(detect.alarms, { start, end: deps.clock.now().getTime() })
    : [];
  const human = firstAckAfter(acks, 'detected', start);
  const candidates = [...transitions, ...(human ? [{ name: ackDetector(human), at: Date.parse(human.at) }] : [])];
  const earliest = candidates.reduce<{ name: string; at: number } | undefined>(
    (first, t) => (first === undefined || t.at < first.at ? t : first),
    undefined,
  );
  const first = earliest ? { ...earliest, seconds: (earliest.at - start) / 1000 } : undefined;
  if (!detect) return first ? { first } : {};
  const detected = first !== undefined && first.seconds <= durationSeconds(detect.within);
  return { ...(first ? { first } : {}), expected: { alarms: detect.alarms, within: detect.within, detected } };
}

/** Time to mitigate: the first `mitigated` ack after the fault started. */
interface Mitigation {
  by: string;
  at: number;
  seconds: number;
  note?: string;
}

function mitigationOf(plan: Plan, fault: FaultOutcome, acks: readonly Ack[]): Mitigation | undefined {
  const start = faultStartOf(plan, fault);
  const ack = firstAckAfter(acks, 'mitigated', start);
  if (!ack) return undefined;
  const at = Date.parse(ack.at);
  return { by: ack.by, at, seconds: (at - start) / 1000, ...(ack.note ? { note: ack.note } : {}) };
}

/** result.json's `response`: TTD from detection, TTM from the first `mitigated` ack, TTR the longest recovery. */
function responseOf(
  detection: Detection | undefined,
  mitigation: Mitigation | undefined,
  evaluation: Evaluation | undefined,
): ResultResponse {
  const recoveries = Object.values(evaluation?.probes ?? {})
    .map((p) => p.recovery?.seconds)
    .filter((s): s is number => s !== undefined);
  return {
    detectedBy: detection?.first?.name ?? null,
    ttdSeconds: detection?.first?.seconds ?? null,
    ttmSeconds: mitigation?.seconds ?? null,
    ttrSeconds: recoveries.length ? Math.max(...recoveries) : null,
  };
}

function timeline(
  state: EvaluateState,
  verdict: string,
  endedAt: string,
  detection?: Detection,
  mitigation?: Mitigation,
): RunEvent[] {
  const iso = (ms: number) => new Date(ms).toISOString();
  const events: RunEvent[] = [
    { at: state.plan.startedAt, type: 'started', message: `run ${state.plan.runId} (${state.plan.trigger})` },
  ];
  if (state.preflight) {
    events.push({
      at: state.plan.startedAt,
      type: 'preflight',
      message: state.preflight.ok ? 'every guardrail passed' : `refused: ${state.preflight.reasons.join('; ')}`,
    });
  }
  if (state.baseline) {
    events.push({
      at: iso(state.baseline.window.end),
      type: 'baseline',
      message: state.baseline.held
        ? 'baseline in steady state'
        : `baseline not steady: ${state.baseline.reasons.join('; ')}`,
    });
  }
  if (state.fault?.startTime)
    events.push({
      at: state.fault.startTime,
      type: 'fault-start',
      message: `fault ${state.fault.experimentId ?? ''} started`,
    });
  if (state.fault?.endTime) {
    events.push({
      at: state.fault.endTime,
      type: 'fault-end',
      message: `fault ended: ${state.fault.status}${state.fault.reason ? ` (${state.fault.reason})` : ''}`,
    });
  }
  if (detection?.first) {
    events.push({
      at: iso(detection.first.at),
      type: 'detected',
      message: `detected by ${detection.first.name} after ${detection.first.seconds} s`,
    });
  }
  if (mitigation) {
    events.push({
      at: iso(mitigation.at),
      type: 'mitigated',
      message: `mitigated by ${mitigation.by} after ${mitigation.seconds} s${mitigation.note ? `: ${mitigation.note}` : ''}`,
    });
  }
  if (state.holdTimeout) {
    events.push({
      at: endedAt,
      type: 'gameday',
      message: 'no mitigated ack before maxDuration: evaluated without one',
    });
  }
  if (state.observation?.phases)
    events.push({
      at: iso(state.observation.phases.recovery.end),
      type: 'recovery-end',
      message: 'recovery window closed',
    });
  events.push({ at: endedAt, type: 'verdict', message: verdict });
  return events.sort((a, b) => a.at.localeCompare(b.at));
}
