// A valid experiment for the adapter tests, parsed through the real schema.
import { Experiment, type ExperimentInput } from '../../../core/experiment/schema.js';

export function experiment(overrides: Partial<ExperimentInput> = {}): Experiment {
  return Experiment.parse({
    version: 1,
    name: 'checkout-instance-loss',
    description: 'Losing one web instance does not hurt checkout.',
    owner: 'team-checkout',
    hypothesis: 'p99 stays under 500 ms.',
    fault: {
      template: {
        targets: {
          web: {
            resourceType: 'aws:ec2:instance',
            resourceTags: { app: 'checkout' },
            filters: [{ path: 'State.Name', values: ['running'] }],
            selectionMode: 'COUNT(1)',
          },
        },
        actions: { terminate: { actionId: 'aws:ec2:terminate-instances', targets: { Instances: 'web' } } },
        stopConditions: ['checkout-5xx-high'],
      },
      maxDuration: 'PT15M',
    },
    steadyState: {
      baseline: 'PT10M',
      period: 'PT1M',
      probes: {
        errors: { metric: { namespace: 'AWS/ApplicationELB', name: 'HTTPCode_Target_5XX_Count', stat: 'Sum' } },
      },
    },
    expect: { recovery: 'PT5M' },
    ...overrides,
  });
}
