// The run's three phases (DESIGN §2): the fault phase is [start, max(FIS end, start + observe)]
// because many FIS actions end in seconds while the system reacts for minutes; recovery follows it.
import { durationSeconds } from '../duration.js';
import type { Experiment } from '../experiment/schema.js';
import type { TimeWindow } from '../ports.js';
import type { Result } from '../result/model.js';

export interface PhaseInput {
  /** when the fault started (epoch ms) */
  faultStart: number;
  /** when FIS reported the experiment ended (epoch ms); absent when it has not */
  fisEnd?: number;
  observeSeconds: number;
  recoverySeconds: number;
  baselineSeconds: number;
  /** how far behind now metrics are complete, seconds */
  ingestionDelay: number;
  /** end of the baseline window actually measured (epoch ms); default faultStart − ingestionDelay */
  baselineEnd?: number;
  /**
   * The metric period: when given, the fault and recovery phases are snapped to whole periods (the fault's start
   * rounded down, its end and the recovery's end rounded up), so the period in which the fault began and the last
   * period of recovery are both read and judged — a datapoint is never left between two phases.
   */
  periodSeconds?: number;
}

export interface Phases {
  baseline: TimeWindow;
  fault: TimeWindow;
  recovery: TimeWindow;
  /** the earliest time every datapoint of the recovery phase can be read (recovery end + ingestion delay) */
  dataCompleteAt: number;
}

export function phases(input: PhaseInput): Phases {
  for (const key of ['observeSeconds', 'recoverySeconds', 'baselineSeconds', 'ingestionDelay'] as const) {
    if (!(input[key] >= 0)) throw new RangeError(`${key} must be a duration ≥ 0, got ${input[key]}`);
  }
  const period = (input.periodSeconds ?? 0) * 1000;
  const down = (t: number) => (period > 0 ? Math.floor(t / period) * period : t);
  const up = (t: number) => (period > 0 ? Math.ceil(t / period) * period : t);
  const baselineEnd = input.baselineEnd ?? down(input.faultStart - input.ingestionDelay * 1000);
  const faultStart = down(input.faultStart);
  const faultEnd = up(
    Math.max(input.fisEnd ?? Number.NEGATIVE_INFINITY, input.faultStart + input.observeSeconds * 1000),
  );
  const recoveryEnd = up(faultEnd + input.recoverySeconds * 1000);
  return {
    baseline: { start: baselineEnd - input.baselineSeconds * 1000, end: baselineEnd },
    fault: { start: faultStart, end: faultEnd },
    recovery: { start: faultEnd, end: recoveryEnd },
    dataCompleteAt: recoveryEnd + input.ingestionDelay * 1000,
  };
}

/** AWS metrics lag (DESIGN §1: default PT3M); the sandbox's local store has none. */
export const DEFAULT_INGESTION_DELAY_SECONDS = { aws: 180, local: 0 } as const;

/** The durations an experiment file gives for its phases, in seconds (observe defaults to 5 periods). */
export function phaseDurations(experiment: Experiment): Pick<
  PhaseInput,
  'observeSeconds' | 'recoverySeconds' | 'baselineSeconds' | 'ingestionDelay'
> & {
  periodSeconds: number;
} {
  const periodSeconds = durationSeconds(experiment.steadyState.period);
  const provider = experiment.provider ?? 'aws';
  return {
    periodSeconds,
    observeSeconds: experiment.fault.observe ? durationSeconds(experiment.fault.observe) : 5 * periodSeconds,
    recoverySeconds: experiment.expect.recovery ? durationSeconds(experiment.expect.recovery) : 0,
    baselineSeconds: durationSeconds(experiment.steadyState.baseline),
    ingestionDelay: experiment.steadyState.ingestionDelay
      ? durationSeconds(experiment.steadyState.ingestionDelay)
      : DEFAULT_INGESTION_DELAY_SECONDS[provider],
  };
}

/** The baseline window a Baseline step reads at `now`: `baseline` long, ending ingestionDelay before now. */
export function baselineWindow(experiment: Experiment, now: number): TimeWindow {
  const d = phaseDurations(experiment);
  const end = now - d.ingestionDelay * 1000;
  return { start: end - d.baselineSeconds * 1000, end };
}

/** Phases as result.json spans (ISO strings). */
export function toResultPhases(p: Phases): Result['phases'] {
  const span = (w: TimeWindow) => ({ start: new Date(w.start).toISOString(), end: new Date(w.end).toISOString() });
  return { baseline: span(p.baseline), fault: span(p.fault), recovery: span(p.recovery) };
}
