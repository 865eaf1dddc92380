// Turns what a MetricSource returned for one window into one filled series per probe, evaluating
// expression probes locally when the source did not (CloudWatch computes them itself in AWS).

import type { Experiment } from '../experiment/schema.js';
import { evaluateSeries } from '../expression/evaluate.js';
import { referencedIds } from '../expression/parse.js';
import type { Series, TimeWindow } from '../ports.js';
import { applyMissing, defaultMissing, type FilledSeries } from './missing.js';
import { own } from './own.js';

/** An expression probe that (directly or not) reads itself: the experiment was not validated. */
export class ProbeCycleError extends Error {
  override readonly name = 'Shaketable.ProbeCycle';
}

/**
 * Every probe's series over `window` with its missing policy applied. A probe absent from `raw`
 * had no datapoint (CloudWatch returns empty values). An expression absent from `raw` is computed
 * from its inputs after their own policies, as FILL(m, 0) queries feed CloudWatch's metric math.
 */
export function resolveProbes(
  experiment: Experiment,
  raw: Readonly<Record<string, Series>>,
  window: TimeWindow,
  periodSeconds: number,
): Record<string, FilledSeries> {
  const probes = experiment.steadyState.probes;
  const out: Record<string, FilledSeries> = {};
  const visiting = new Set<string>();
  const resolve = (name: string): FilledSeries => {
    const done = own(out, name);
    if (done) return done;
    const probe = own(probes, name);
    if (!probe) throw new RangeError(`unknown probe "${name}"`);
    const policy = defaultMissing(probe);
    let series = own(raw, name);
    if (series === undefined && probe.expression !== undefined) {
      if (visiting.has(name)) throw new ProbeCycleError(`probe "${name}" is part of an expression cycle`);
      visiting.add(name);
      const inputs: Record<string, Series> = {};
      for (const id of referencedIds(probe.expression)) inputs[id] = resolve(id).series;
      visiting.delete(name);
      series = evaluateSeries(probe.expression, inputs, { periodSeconds });
    }
    const filled = applyMissing(series ?? [], window, periodSeconds, policy);
    out[name] = filled;
    return filled;
  };
  for (const name of Object.keys(probes)) resolve(name);
  return out;
}
