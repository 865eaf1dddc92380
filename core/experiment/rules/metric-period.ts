// The steady-state period is one CloudWatch accepts: a multiple of 60 s, or 10/20/30 s for high-resolution
// metrics (https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_MetricDataQuery.html);
// the sandbox's metric store has 1-second resolution, so a local period is whole seconds.
import { at, providerOf, type Rule, secondsOf } from './rule.js';

const HIGH_RESOLUTION = [10, 20, 30];

export const metricPeriod: Rule = {
  name: 'metric-period',
  check(raw) {
    const period = at(raw, 'steadyState', 'period');
    const seconds = secondsOf(period);
    if (seconds === undefined) return [];
    const path = ['steadyState', 'period'];
    if (providerOf(raw) === 'local') {
      return Number.isInteger(seconds) && seconds >= 1
        ? []
        : [{ path, message: `local period ${String(period)} must be a whole number of seconds, at least PT1S` }];
    }
    if (seconds > 0 && (seconds % 60 === 0 || HIGH_RESOLUTION.includes(seconds))) return [];
    return [
      {
        path,
        message: `period ${String(period)} is not a CloudWatch period; use a multiple of PT1M (or PT10S, PT20S, PT30S for high-resolution metrics)`,
      },
    ];
  },
};
