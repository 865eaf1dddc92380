// The MetricSource queries of an experiment's probes, each with its missing-data policy.
import type { Experiment } from '../experiment/schema.js';
import type { MetricQuery, Series, TimeWindow } from '../ports.js';
import { defaultMissing } from '../steady-state/missing.js';

export function probeQueries(experiment: Experiment): MetricQuery[] {
  return Object.entries(experiment.steadyState.probes).map(([id, probe]) => ({
    id,
    ...(probe.metric ? { metric: probe.metric } : {}),
    ...(probe.expression ? { expression: probe.expression } : {}),
    missing: defaultMissing(probe),
  }));
}

/** A window snapped to whole periods, so every period is complete (CloudWatch aligns datapoints the same way). */
export function alignWindow(window: TimeWindow, periodSeconds: number): TimeWindow {
  const period = periodSeconds * 1000;
  return { start: Math.floor(window.start / period) * period, end: Math.floor(window.end / period) * period };
}

/** The datapoints of `series` inside [start, end). */
export function slice(series: Series, window: TimeWindow): Series {
  return series.filter(([t]) => t >= window.start && t < window.end);
}
