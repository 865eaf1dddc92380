// A run carries its evidence (every probe's series over baseline, fault and recovery) through Step Functions,
// whose payloads are capped at 256 KB (https://docs.aws.amazon.com/step-functions/latest/dg/limits-overview.html).
// The number of datapoints a run can produce is known from the file: bound it here rather than fail mid-run. A ramp
// carries every step's series (result.steps[]) and the last step's once more at the top level.
import { secondsToIso } from '../../duration.js';
import { observeSeconds } from './max-duration.js';
import { asList, at, entriesAt, type Rule, secondsOf } from './rule.js';

/** ~40 bytes a datapoint in result.json's `[iso, value]` form: 4,000 keep the largest state near 160 KB. */
export const MAX_DATAPOINTS_PER_RUN = 4000;

export const payloadSize: Rule = {
  name: 'payload-size',
  check(raw) {
    const period = secondsOf(at(raw, 'steadyState', 'period'));
    const baseline = secondsOf(at(raw, 'steadyState', 'baseline'));
    const maxDuration = secondsOf(at(raw, 'fault', 'maxDuration'));
    if (!period || baseline === undefined || maxDuration === undefined) return [];
    const recovery = secondsOf(at(raw, 'expect', 'recovery')) ?? 0;
    const fault = Math.max(maxDuration, observeSeconds(raw)?.seconds ?? 0);
    const probes = entriesAt(raw, 'steadyState', 'probes').length;
    // +2: the fault and recovery phases are snapped outward to whole periods
    const perProbe = Math.ceil((baseline + fault + recovery) / period) + 2;
    const steps = asList(at(raw, 'fault', 'ramp', 'steps'))?.length;
    const copies = steps === undefined ? 1 : steps + 1;
    const total = copies * probes * perProbe;
    if (total <= MAX_DATAPOINTS_PER_RUN) return [];
    const ramp = steps === undefined ? '' : `(${steps} ramp steps + the last once more) × `;
    return [
      {
        path: ['steadyState', 'probes'],
        message: `${ramp}${probes} probes × ${perProbe} periods of ${secondsToIso(period)} (baseline + maxDuration + recovery) = ${total} datapoints, above the ${MAX_DATAPOINTS_PER_RUN} a run can carry within Step Functions' 256 KB; use a longer steadyState.period, fewer probes${steps === undefined ? '' : ', fewer ramp steps'} or shorter phases`,
      },
    ];
  },
};
