// Experiments for the local sandbox tests, built through the real schema.
import { Experiment, type ExperimentInput } from '../../../core/experiment/schema.js';

type Overrides = Partial<Omit<ExperimentInput, 'local' | 'fault'>> & {
  local?: Partial<NonNullable<ExperimentInput['local']>>;
  fault?: Partial<ExperimentInput['fault']>;
};

export function localExperiment(overrides: Overrides = {}): Experiment {
  const { local, fault, ...rest } = overrides;
  return Experiment.parse({
    version: 1,
    provider: 'local',
    name: 'local-test',
    description: 'test',
    owner: 'test',
    hypothesis: 'test',
    local: { instances: 3, rps: 40, replaceAfter: 'PT1S', ...local },
    fault: {
      template: {
        targets: { web: { resourceType: 'local:instance', selectionMode: 'COUNT(1)' } },
        actions: { kill: { actionId: 'local:instance:terminate', targets: { Instances: 'web' } } },
      },
      observe: 'PT2S',
      maxDuration: 'PT30S',
      ...fault,
    },
    steadyState: {
      baseline: 'PT2S',
      period: 'PT1S',
      probes: {
        latency_p99: { metric: { namespace: 'Local/Demo', name: 'Latency', stat: 'p99' }, tolerance: { max: 250 } },
        errors: { metric: { namespace: 'Local/Demo', name: 'Errors', stat: 'Sum' }, tolerance: { max: 0 } },
        requests: { metric: { namespace: 'Local/Demo', name: 'Requests', stat: 'Sum' } },
        error_rate: { expression: '100 * errors / requests', tolerance: { max: 1 } },
        healthy: {
          metric: { namespace: 'Local/Demo', name: 'HealthyInstances', stat: 'Minimum' },
          tolerance: { min: 3 },
        },
      },
    },
    expect: { recovery: 'PT5S' },
    ...rest,
  });
}
