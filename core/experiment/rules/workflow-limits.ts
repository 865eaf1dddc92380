// Limits of the services a run rests on: FIS runs an experiment for at most 12 hours; the state machine's overall
// timeout (26 h) holds an approval wait plus the longest fault; CloudWatch keeps sub-minute (high-resolution)
// datapoints for 3 hours only (https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/cloudwatch_concepts.html#Metric).
import { secondsToIso } from '../../duration.js';
import { at, type Rule, secondsOf } from './rule.js';

const TWELVE_HOURS = 12 * 3600;
/**
 * What a ramp's steps may last together: the state machine's overall timeout (TimeoutSeconds 93600, 26 h, in
 * statemachines/experiment.asl.json) less 2 h for the approval wait margin, Lambda retries and ingestion delays.
 */
const RAMP_HOURS = 24;
const HIGH_RESOLUTION_RETENTION = 3 * 3600;

export const workflowLimits: Rule = {
  name: 'workflow-limits',
  check(raw) {
    const issues = [];
    const maxDuration = secondsOf(at(raw, 'fault', 'maxDuration'));
    if (maxDuration !== undefined && maxDuration > TWELVE_HOURS) {
      issues.push({
        path: ['fault', 'maxDuration'],
        message: `maxDuration ${secondsToIso(maxDuration)} is longer than FIS runs an experiment (PT12H); split the fault or shorten it`,
      });
    }
    const approval = secondsOf(at(raw, 'guardrails', 'approval', 'timeout'));
    if (approval !== undefined && approval > TWELVE_HOURS) {
      issues.push({
        path: ['guardrails', 'approval', 'timeout'],
        message: `approval timeout ${secondsToIso(approval)} is longer than PT12H, which the run's overall timeout allows; shorten it`,
      });
    }
    const period = secondsOf(at(raw, 'steadyState', 'period'));
    const baseline = secondsOf(at(raw, 'steadyState', 'baseline')) ?? 0;
    const recovery = secondsOf(at(raw, 'expect', 'recovery')) ?? 0;
    const span = baseline + (maxDuration ?? 0) + recovery;
    if (at(raw, 'provider') !== 'local' && period !== undefined && period < 60 && span > HIGH_RESOLUTION_RETENTION) {
      issues.push({
        path: ['steadyState', 'period'],
        message: `a ${secondsToIso(period)} period is high resolution, which CloudWatch keeps for 3 hours, but baseline + maxDuration + recovery span ${secondsToIso(span)}; use PT1M or shorter phases`,
      });
    }
    // A ramp runs every step as a full cycle (baseline, fault, recovery) within the one execution.
    const steps = at(raw, 'fault', 'ramp', 'steps');
    if (Array.isArray(steps) && steps.length > 1) {
      const total = (approval ?? 0) + steps.length * span;
      if (total > RAMP_HOURS * 3600) {
        issues.push({
          path: ['fault', 'ramp', 'steps'],
          message: `${steps.length} steps × (baseline + maxDuration + recovery ${secondsToIso(span)})${approval ? ' + approval timeout' : ''} = ${secondsToIso(total)}, longer than the PT${RAMP_HOURS}H a run can last within the state machine's 26 h timeout; use fewer steps or shorter phases`,
        });
      }
    }
    return issues;
  },
};
