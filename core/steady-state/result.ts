// Builds result.json's `probes` (DESIGN §5) from an evaluation: series as [iso, value] per phase
// and statistics per phase, plus `recoveryTime` and `compare` where they were computed.

import { PHASES } from '../experiment/patterns.js';
import type { Experiment } from '../experiment/schema.js';
import type { Point, Result } from '../result/model.js';
import type { Evaluation } from './evaluation.js';
import { phaseStats } from './stats.js';

/** Result['probes'] for every probe of the experiment; a phase not evaluated has an empty series. */
export function toResultProbes(experiment: Experiment, evaluation: Pick<Evaluation, 'probes'>): Result['probes'] {
  const out: Result['probes'] = {};
  for (const [name, probe] of Object.entries(experiment.steadyState.probes)) {
    const ev = Object.hasOwn(evaluation.probes, name) ? evaluation.probes[name] : undefined;
    const series = { baseline: [] as Point[], fault: [] as Point[], recovery: [] as Point[] };
    const stats: Record<string, unknown> = { missing: ev?.missing };
    for (const phase of PHASES) {
      const filled = ev?.phases[phase];
      if (!filled) continue;
      series[phase] = filled.series.map(([t, v]): Point => [new Date(t).toISOString(), v]);
      stats[phase] = { ...phaseStats(filled), breachSlots: filled.breaches.map((t) => new Date(t).toISOString()) };
    }
    if (ev?.recovery) {
      const { recoveredAt, seconds, limitSeconds } = ev.recovery;
      stats.recoveryTime = {
        recoveredAt: recoveredAt === undefined ? null : new Date(recoveredAt).toISOString(),
        recoverySeconds: seconds ?? null,
        limitSeconds: limitSeconds ?? null,
      };
    }
    if (ev?.comparison) stats.compare = { ...ev.comparison };
    const unit = probe.unit ?? probe.metric?.unit;
    out[name] = {
      ...(unit !== undefined && { unit }),
      ...(probe.tolerance && { tolerance: probe.tolerance }),
      ...(ev?.during && { during: ev.during }),
      series,
      stats,
    };
  }
  return out;
}
