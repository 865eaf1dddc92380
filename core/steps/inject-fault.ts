// InjectFault: the last safety re-check (approval may have taken an hour), then the fault. The task token is
// stored BEFORE StartExperiment so the FIS event can always find it; FaultEnded completes it.
import { GuardrailRefusedError } from '../errors.js';
import { alarmNamesToCheck } from '../guardrails/alarm-names.js';
import { alarmsCheck } from '../guardrails/alarms.js';
import { killSwitchCheck } from '../guardrails/kill-switch.js';
import { windowCheck } from '../guardrails/window.js';
import { isTerminalStatus, type StepDeps } from './deps.js';
import { outcomeOf, timingOfPlan } from './fault-outcome.js';
import type { Plan } from './plan.js';

export interface InjectFaultEvent {
  token: string;
  plan: Plan;
  timeoutSeconds: number;
}

export async function injectFault(
  deps: StepDeps,
  event: InjectFaultEvent,
): Promise<{ experimentId: string; status: string }> {
  const { plan } = event;
  const experiment = plan.definition;
  const [killSwitch, alarms] = await Promise.all([
    deps.killSwitch.get(),
    deps.alarms.getStates(alarmNamesToCheck(experiment, plan.compiledAlarms)),
  ]);
  const checks = [
    killSwitchCheck(killSwitch),
    alarmsCheck(alarms, experiment.guardrails?.allowInsufficientData ?? false),
    windowCheck(experiment.guardrails?.window, deps.clock.now()),
  ];
  const refused = checks.filter((c) => !c.ok);
  if (refused.length > 0) throw new GuardrailRefusedError(refused.map((c) => `at injection: ${c.message}`));

  await deps.ledger.updateRun(plan.runId, {
    taskToken: event.token,
    timing: timingOfPlan(plan),
  });
  const started = await deps.faults.start({
    runId: plan.runId,
    experiment,
    ...(plan.templateId ? { templateId: plan.templateId } : {}),
  });
  await deps.ledger.updateRun(plan.runId, { fisExperimentId: started.experimentId });
  // The experiment may already have ended (an action that completes in seconds, or a failed target resolution)
  // and its event may have raced the pointer write above: read it once and complete the token ourselves.
  const now = await deps.faults.get(started.experimentId);
  if (isTerminalStatus(now.status))
    await deps.tokens.succeed(event.token, outcomeOf(now, true, undefined, plan, deps.clock.now().getTime()));
  return { experimentId: started.experimentId, status: now.status };
}
