// The baseline window holds at least one metric period, or there is no datapoint to call a steady state.
import { secondsToIso } from '../../duration.js';
import { at, type Rule, secondsOf } from './rule.js';

export const baselineCoversPeriod: Rule = {
  name: 'baseline-covers-period',
  check(raw) {
    const baseline = secondsOf(at(raw, 'steadyState', 'baseline'));
    const period = secondsOf(at(raw, 'steadyState', 'period'));
    if (baseline === undefined || period === undefined || baseline >= period) return [];
    return [
      {
        path: ['steadyState', 'baseline'],
        message: `baseline ${secondsToIso(baseline)} is shorter than one period (${secondsToIso(period)}); it would hold no datapoint`,
      },
    ];
  },
};
