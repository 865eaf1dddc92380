// Which alarms a run watches, by name (apart from preflight.ts so steps that only need the names do not bundle
// the holiday calendars).
import type { Experiment } from '../experiment/schema.js';
import type { ExternalTemplate } from '../ports.js';

/** `arn:aws:cloudwatch:<region>:<account>:alarm:<name>` → `<name>`; DescribeAlarms takes names. */
export function alarmName(nameOrArn: string): string {
  const match = /^arn:[^:]+:cloudwatch:[^:]*:[^:]*:alarm:(.+)$/.exec(nameOrArn);
  return match?.[1] ?? nameOrArn;
}

/**
 * The alarms that must be OK before the fault starts: guardrails.alarms ∪ the template's stop conditions (the
 * file's own or, for `templateId`, the external template's) ∪ the alarms compiled from abortWhen. Names, deduplicated,
 * in that order.
 */
export function alarmNamesToCheck(
  experiment: Experiment,
  compiledAlarms: readonly string[] = [],
  externalTemplate?: ExternalTemplate,
): string[] {
  const names = [
    ...(experiment.guardrails?.alarms ?? []),
    ...(experiment.fault.template?.stopConditions ?? []),
    ...(externalTemplate?.template.stopConditions ?? []),
    ...compiledAlarms,
  ].map(alarmName);
  return [...new Set(names)];
}
