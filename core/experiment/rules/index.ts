// The cross-field rules of DESIGN §2, run in this order over every file (whatever the schema said).
import { abortWhenAlarm } from './abort-when-alarm.js';
import { abortWhenProbes } from './abort-when-probes.js';
import { abortWhenTemplateId } from './abort-when-template-id.js';
import { actionDurationParameter } from './action-duration-parameter.js';
import { actionTargets } from './action-targets.js';
import { awsOnlyGuardrails } from './aws-only-guardrails.js';
import { baselineCoversPeriod } from './baseline-covers-period.js';
import { blackoutDates } from './blackout-dates.js';
import { blastRadiusUncounted } from './blast-radius-uncounted.js';
import { detectWithin } from './detect-within.js';
import { duringProbes } from './during-probes.js';
import { expressionCycles } from './expression-cycles.js';
import { expressionReferences } from './expression-references.js';
import { expressionSyntax } from './expression-syntax.js';
import { fisActionId } from './fis-action-id.js';
import { fisActionParameters } from './fis-action-parameters.js';
import { fisActionTargetKeys } from './fis-action-target-keys.js';
import { fisParameterValues } from './fis-parameter-values.js';
import { fisTargetArns } from './fis-target-arns.js';
import { fisTargetParameters } from './fis-target-parameters.js';
import { localAlarmNames } from './local-alarm-names.js';
import { localAlarmProbes } from './local-alarm-probes.js';
import { localBlock } from './local-block.js';
import { localExpressions } from './local-expressions.js';
import { localFaults } from './local-faults.js';
import { maxDuration } from './max-duration.js';
import { metricPeriod } from './metric-period.js';
import { observeActionName } from './observe-action-name.js';
import { observeRange } from './observe-range.js';
import { payloadSize } from './payload-size.js';
import { rampBlastRadius } from './ramp-blast-radius.js';
import { rampFirstStep } from './ramp-first-step.js';
import { rampSteps } from './ramp-steps.js';
import { rampTarget } from './ramp-target.js';
import type { Rule } from './rule.js';
import { scheduleExpression } from './schedule-expression.js';
import { selectionMode } from './selection-mode.js';
import { startAfter } from './start-after.js';
import { stopConditionCount } from './stop-condition-count.js';
import { stopConditionRequired } from './stop-condition-required.js';
import { templateOrTemplateId } from './template-or-template-id.js';
import { runWindow } from './window.js';
import { workflowLimits } from './workflow-limits.js';

export const RULES: readonly Rule[] = [
  templateOrTemplateId,
  abortWhenTemplateId,
  localBlock,
  localFaults,
  localAlarmNames,
  localAlarmProbes,
  actionTargets,
  fisActionId,
  fisActionTargetKeys,
  fisActionParameters,
  fisParameterValues,
  fisTargetParameters,
  fisTargetArns,
  startAfter,
  actionDurationParameter,
  selectionMode,
  rampTarget,
  rampFirstStep,
  rampSteps,
  rampBlastRadius,
  blastRadiusUncounted,
  stopConditionRequired,
  stopConditionCount,
  maxDuration,
  detectWithin,
  observeRange,
  observeActionName,
  metricPeriod,
  baselineCoversPeriod,
  expressionSyntax,
  expressionReferences,
  expressionCycles,
  localExpressions,
  duringProbes,
  abortWhenProbes,
  abortWhenAlarm,
  runWindow,
  awsOnlyGuardrails,
  blackoutDates,
  scheduleExpression,
  payloadSize,
  workflowLimits,
];

export type { Rule, RuleIssue } from './rule.js';
