// InjectFault: the last safety re-check (approval may have taken an hour), then the fault. The task token is
// stored BEFORE StartExperiment so the FIS event can always find it; FaultEnded completes it.
import { GuardrailRefusedError } from '../errors.js';
import { alarmNamesToCheck } from '../guardrails/alarm-names.js';
import { alarmsCheck } from '../guardrails/alarms.js';
import { freezeChecks } from '../guardrails/freezes.js';
import { killSwitchCheck } from '../guardrails/kill-switch.js';
import { windowCheck } from '../guardrails/window.js';
import { faultOfRun, isTerminalStatus, recordFault, startFault, tokenIsForStep } from '../run/lifecycle.js';
import type { StepDeps } from './deps.js';
import { outcomeOf } from './fault-outcome.js';
import type { Plan } from './plan.js';

export interface InjectFaultEvent {
  token: string;
  plan: Plan;
  timeoutSeconds: number;
  /** the template's stop-condition alarms as Preflight read them (for `templateId`, the external template's) */
  stopConditions?: string[];
}

export type InjectFaultDeps = Pick<
  StepDeps,
  'clock' | 'killSwitch' | 'alarms' | 'ledger' | 'faults' | 'tokens' | 'changeCalendar' | 'deployments'
>;

export async function injectFault(
  deps: InjectFaultDeps,
  event: InjectFaultEvent,
): Promise<{ experimentId: string; status: string }> {
  const { plan } = event;
  const experiment = plan.definition;
  // A retried invocation (the first one's answer was lost after StartExperiment) must supervise the fault it
  // started, never refuse it: with the fault running, a re-check could well see the alarm the fault tripped.
  // A ramp's later step finds the previous step's fault in the run: that one is not this step's to supervise.
  const run = await deps.ledger.getRun(plan.runId);
  const started = tokenIsForStep(run, plan) ? await faultOfRun(deps, run) : undefined;
  if (started) return supervise(deps, event, started);

  const [killSwitch, freezes, alarms] = await Promise.all([
    deps.killSwitch.get(),
    freezeChecks(deps, experiment.guardrails),
    deps.alarms.getStates([
      ...new Set([...alarmNamesToCheck(experiment, plan.compiledAlarms), ...(event.stopConditions ?? [])]),
    ]),
  ]);
  const checks = [
    killSwitchCheck(killSwitch, experiment.provider),
    ...freezes,
    alarmsCheck(alarms, experiment.guardrails?.allowInsufficientData ?? false),
    windowCheck(experiment.guardrails?.window, deps.clock.now()),
  ];
  const refused = checks.filter((c) => !c.ok);
  if (refused.length > 0) throw new GuardrailRefusedError(refused.map((c) => `at injection: ${c.message}`));

  const fault = await startFault(deps, plan, event.token);
  return supervise(deps, event, fault.experimentId);
}

/**
 * Records the fault against the run, then reads it once: it may already have ended (an action that completes in
 * seconds, a failed target resolution) and its event may have raced the pointer write — complete the token then.
 */
async function supervise(deps: InjectFaultDeps, event: InjectFaultEvent, experimentId: string) {
  const { plan } = event;
  await recordFault(deps, plan, event.token, experimentId);
  const now = await deps.faults.get(experimentId);
  if (isTerminalStatus(now.status)) {
    await deps.tokens.succeed(event.token, outcomeOf(now, true, undefined, plan, deps.clock.now().getTime()));
  }
  return { experimentId, status: now.status };
}
