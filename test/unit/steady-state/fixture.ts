// A checkout experiment and series builders shared by the steady-state and verdict tests.
import { Experiment, type ExperimentInput } from '../../../core/experiment/schema.js';
import type { Series, TimeWindow } from '../../../core/ports.js';
import { type Phases, phases } from '../../../core/steady-state/phases.js';

export const T0 = Date.UTC(2026, 2, 3, 10, 0, 0);
export const MIN = 60_000;

export function checkoutInput(): ExperimentInput {
  return {
    version: 1,
    name: 'checkout-instance-loss',
    description: 'Losing one web instance does not hurt checkout.',
    owner: 'team-checkout',
    hypothesis: 'p99 stays under 500 ms, no 5xx, 2 healthy hosts back within 5 minutes.',
    fault: {
      template: {
        targets: {
          web: { resourceType: 'aws:ec2:instance', resourceTags: { app: 'checkout' }, selectionMode: 'COUNT(1)' },
        },
        actions: { terminate: { actionId: 'aws:ec2:terminate-instances', targets: { Instances: 'web' } } },
        stopConditions: ['checkout-5xx-high'],
      },
      observe: 'PT5M',
      maxDuration: 'PT15M',
    },
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
        requests: { metric: { namespace: 'AWS/ApplicationELB', name: 'RequestCount', stat: 'Sum' } },
        error_rate: { expression: '100 * errors / requests', tolerance: { max: 1 } },
        healthy: {
          metric: { namespace: 'AWS/ApplicationELB', name: 'HealthyHostCount', stat: 'Minimum' },
          tolerance: { min: 2 },
          missing: 'breach',
        },
      },
    },
    expect: {
      during: { latency: { max: 0.5 }, healthy: { min: 1 } },
      recovery: 'PT5M',
      compare: { test: 'mann-whitney', alpha: 0.05 },
    },
  };
}

export function checkout(edit: (input: ExperimentInput) => void = () => {}): Experiment {
  const input = checkoutInput();
  edit(input);
  return Experiment.parse(input);
}

/** Baseline [T0−10m, T0), fault [T0, T0+5m), recovery [T0+5m, T0+10m): FIS ended at once, observe PT5M. */
export function checkoutPhases(recoveryMinutes = 5): Phases {
  return phases({
    faultStart: T0,
    fisEnd: T0 + 5_000,
    observeSeconds: 300,
    recoverySeconds: recoveryMinutes * 60,
    baselineSeconds: 600,
    ingestionDelay: 0,
  });
}

/** One datapoint per minute slot of `window`, valued by `value(i)`. */
export function perMinute(window: TimeWindow, value: number | ((i: number) => number)): Series {
  const out: Series = [];
  for (let t = window.start, i = 0; t < window.end; t += MIN, i++)
    out.push([t, typeof value === 'number' ? value : value(i)]);
  return out;
}

/** A healthy system's series for each phase: low latency, no errors, 100 requests, 3 hosts. */
export function healthySeries(p: Phases = checkoutPhases()) {
  const phase = (w: TimeWindow) => ({
    latency: perMinute(w, (i) => 0.1 + (i % 3) * 0.01),
    errors: [] as Series,
    requests: perMinute(w, 100),
    healthy: perMinute(w, 3),
  });
  return { baseline: phase(p.baseline), fault: phase(p.fault), recovery: phase(p.recovery) };
}
