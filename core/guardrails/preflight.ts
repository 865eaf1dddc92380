// Preflight: every guardrail judged at once from values the Preflight step has read through its ports, so a refused
// run reports all its reasons, not just the first one.
import type { Experiment } from '../experiment/schema.js';
import type { AlarmState, ExternalTemplate, LockResult, RunRecord } from '../ports.js';
import type { Check } from '../result/model.js';
import type { TargetGroupPool } from '../targets/pools.js';
import { alarmName, alarmNamesToCheck } from './alarm-names.js';
import { alarmsCheck } from './alarms.js';
import { blackoutCheck } from './blackouts.js';
import { blastRadiusCheck } from './blast-radius.js';
import type { HolidayCalendar } from './holiday-calendar.js';
import { holidaysCheck } from './holidays.js';
import { killSwitchCheck } from './kill-switch.js';
import { lockCheck } from './lock.js';
import { type RampSelection, rampBlastRadiusChecks } from './ramp-blast-radius.js';
import { requiresChecks } from './requires.js';
import { templateTagCheck } from './template-tag.js';
import { windowCheck } from './window.js';

export interface PreflightInput {
  experiment: Experiment;
  now: Date;
  /** states of the alarms named by alarmNamesToCheck; a name with no state here counts as MISSING */
  alarms: readonly AlarmState[];
  /** the eligible pool of each target, per resource type (targets/pools.ts poolsByType) */
  pools: readonly TargetGroupPool[];
  killSwitch: { on: boolean; reason?: string };
  /** the lock attempt; omitted when the caller checks the lock separately (e.g. `shaketable preflight`) */
  lock?: LockResult;
  /** the template read from FIS, for `templateId` experiments */
  externalTemplate?: ExternalTemplate;
  /** stop-condition alarms compiled from abortWhen (catalog entry) */
  compiledAlarms?: readonly string[];
  /** who knows the public holidays; without one, an experiment with `guardrails.holidays` is refused */
  holidays?: HolidayCalendar;
  /** the runs of each experiment named by `guardrails.requires`, newest first (an experiment absent here has none) */
  requiredRuns?: ReadonlyMap<string, readonly RunRecord[]>;
  /** the changeCalendar and deployments checks, as freezeChecks read them (AWS only) */
  freezes?: readonly Check[];
  /** a ramp: the blast radius is checked for every step still to run instead of the template's one selection */
  ramp?: RampSelection;
}

export interface PreflightOutcome {
  ok: boolean;
  checks: Check[];
}

/** The one-line reasons of the refused checks, in check order. */
export function refusalReasons(checks: readonly Check[]): string[] {
  return checks.filter((c) => !c.ok).map((c) => c.message);
}

/**
 * Order: killSwitch, window, holidays, blackouts, requires (one per requirement), changeCalendar,
 * deployments, alarms, blastRadius (one per ramp step still to run), lock (when attempted), templateTag (for
 * `templateId` experiments). Holidays and blackouts are judged in the window's zone, UTC without a window.
 */
export function evaluatePreflight(input: PreflightInput): PreflightOutcome {
  const { experiment, now } = input;
  const guardrails = experiment.guardrails ?? {};
  const zone = guardrails.window?.timezone ?? 'UTC';

  // An alarm the caller did not report on is treated as MISSING: a port that forgot one must not make a pass.
  const expected = alarmNamesToCheck(experiment, input.compiledAlarms, input.externalTemplate);
  const byName = new Map(input.alarms.map((s) => [alarmName(s.name), { ...s, name: alarmName(s.name) }]));
  const states: AlarmState[] = expected.map((name) => byName.get(name) ?? { name, state: 'MISSING' });
  for (const [name, state] of byName) if (!expected.includes(name)) states.push(state);

  const checks: Check[] = [
    killSwitchCheck(input.killSwitch, input.experiment.provider),
    windowCheck(guardrails.window, now),
    holidaysCheck(guardrails.holidays, now, zone, input.holidays),
    blackoutCheck(guardrails.blackouts, now, zone),
    ...requiresChecks(guardrails.requires, input.requiredRuns ?? new Map(), now),
    ...(input.freezes ?? []),
    alarmsCheck(states, guardrails.allowInsufficientData ?? false),
    ...blastRadiusChecks(input),
  ];
  if (input.lock) checks.push(lockCheck(input.lock));
  const templateId = experiment.fault.templateId;
  if (templateId !== undefined) checks.push(externalTemplateCheck(templateId, experiment.name, input.externalTemplate));
  return { ok: checks.every((c) => c.ok), checks };
}

function blastRadiusChecks(input: PreflightInput): Check[] {
  const { experiment } = input;
  const options = {
    emptyTargetResolutionMode: (input.externalTemplate?.template ?? experiment.fault.template)?.experimentOptions
      ?.emptyTargetResolutionMode,
  };
  const bound = experiment.guardrails?.blastRadius;
  return input.ramp
    ? rampBlastRadiusChecks(input.pools, input.ramp, bound, options)
    : [blastRadiusCheck(input.pools, bound, options)];
}

function externalTemplateCheck(
  templateId: string,
  experimentName: string,
  template: ExternalTemplate | undefined,
): Check {
  if (template && template.id !== templateId) {
    return {
      name: 'templateTag',
      ok: false,
      observed: template.id,
      bound: templateId,
      message: `templateTag: read template ${template.id}, but the experiment names ${templateId}`,
    };
  }
  return templateTagCheck(template?.tags, experimentName, templateId);
}

export { alarmName, alarmNamesToCheck };
