// Recovery time (DESIGN §2): the first time after the fault phase from which the probe stays within
// its tolerance, measured from the end of the fault phase and compared with `expect.recovery`.
import type { Bound } from '../experiment/schema.js';
import type { TimeWindow } from '../ports.js';
import { coverageCheck, isWithin } from './bounds.js';
import type { ProbeCheck } from './checks.js';
import { formatBoundInWords, formatDuration, formatValue } from './format.js';
import type { FilledSeries } from './missing.js';

export interface RecoveryTime {
  /** epoch ms from which every later datapoint is within tolerance; undefined when that never happened */
  recoveredAt?: number;
  /** recoveredAt − start of the recovery phase, seconds */
  seconds?: number;
  /** the last out-of-tolerance value (undefined when only breach slots were out) */
  lastBadValue?: number;
  /** the recovery phase held at least one datapoint or breach slot */
  observed: boolean;
}

export function recoveryTime(filled: FilledSeries, tolerance: Bound, window: TimeWindow): RecoveryTime {
  // Datapoints and breach slots in time order; at one timestamp a bad point sorts after a good one,
  // so recovery starts after every bad point whatever the input order.
  const events: Array<{ t: number; ok: boolean; v?: number }> = [
    ...filled.series.map(([t, v]) => ({ t, ok: isWithin(v, tolerance), v })),
    ...filled.breaches.map((t) => ({ t, ok: false })),
  ].sort((a, b) => a.t - b.t || Number(b.ok) - Number(a.ok));
  if (events.length === 0) return { observed: false };
  let lastBad = -1;
  for (let i = 0; i < events.length; i++) if (!events[i]!.ok) lastBad = i;
  if (lastBad === -1) return { observed: true, recoveredAt: window.start, seconds: 0 };
  const lastBadValue = events[lastBad]!.v;
  const next = events.slice(lastBad + 1).find((e) => e.t > events[lastBad]!.t);
  if (!next) return { observed: true, lastBadValue };
  return { observed: true, recoveredAt: next.t, seconds: Math.max(0, (next.t - window.start) / 1000), lastBadValue };
}

/** The recovery check of one probe (plus its coverage check for `ignore` probes). */
export function recoveryChecks(args: {
  probe: string;
  filled: FilledSeries;
  tolerance: Bound;
  window: TimeWindow;
  limitSeconds: number;
  /** the probe's display unit, printed after its values and bounds */
  unit?: string | undefined;
}): { checks: ProbeCheck[]; time: RecoveryTime } {
  const { probe, filled, tolerance, window, limitSeconds, unit } = args;
  const time = recoveryTime(filled, tolerance, window);
  const coverage = coverageCheck(probe, 'recovery', filled);
  const checks: ProbeCheck[] = coverage ? [coverage] : [];
  const bound = { tolerance, recoverySeconds: limitSeconds };
  const boundText = `bound expect.recovery ${formatDuration(limitSeconds)}`;
  const base = {
    name: `${probe}.recovery.recovery`,
    probe,
    phase: 'recovery' as const,
    kind: 'recovery' as const,
    bound,
  };
  const last =
    time.lastBadValue === undefined
      ? 'a missing datapoint (missing: breach)'
      : `value ${formatValue(time.lastBadValue, unit)}`;
  if (time.observed && time.seconds === undefined) {
    checks.push({
      ...base,
      ok: false,
      decided: true,
      observed: { recoveredSeconds: null },
      message: `${probe} (recovery phase): observed not back within tolerance ${formatBoundInWords(tolerance, unit)} by the end of the recovery window (last ${last}), ${boundText}`,
    });
  } else if (time.seconds !== undefined && (time.seconds > limitSeconds || !coverage || coverage.decided)) {
    // Too slow is decided whatever the coverage; in time needs the coverage an `ignore` probe must have.
    checks.push({
      ...base,
      ok: time.seconds <= limitSeconds,
      decided: true,
      observed: { recoveredSeconds: time.seconds },
      message: `${probe} (recovery phase): observed back within tolerance ${formatBoundInWords(tolerance, unit)} after ${formatDuration(time.seconds)}, ${boundText}`,
    });
  }
  return { checks, time };
}
