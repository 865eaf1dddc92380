// Change freezes (DESIGN §9 "Freezes", AWS only): the organisation's change calendar must be OPEN and no named stack
// may be deploying. Read at Preflight and again at InjectFault, beside the kill switch. An unreadable calendar or
// stack refuses the run (SKIPPED) with the reason: a freeze that cannot be read is not known to be lifted.
import type { Guardrails } from '../experiment/schema.js';
import type { ChangeCalendar, DeploymentStatus } from '../ports.js';
import type { Check } from '../result/model.js';

export interface FreezeDeps {
  changeCalendar?: ChangeCalendar;
  deployments?: DeploymentStatus;
}

/** The changeCalendar and deployments checks the guardrails ask for (none when they name neither). */
export async function freezeChecks(deps: FreezeDeps, guardrails: Guardrails | undefined): Promise<Check[]> {
  const checks: Array<Promise<Check>> = [];
  const calendar = guardrails?.changeCalendar;
  if (calendar !== undefined) checks.push(calendarCheck(deps.changeCalendar, calendar));
  const stacks = guardrails?.deployments?.stacks;
  if (stacks !== undefined && stacks.length > 0) checks.push(deploymentsCheck(deps.deployments, stacks));
  return Promise.all(checks);
}

async function calendarCheck(port: ChangeCalendar | undefined, name: string): Promise<Check> {
  const refused = (observed: string, why: string): Check => ({
    name: 'changeCalendar',
    ok: false,
    observed,
    bound: 'OPEN',
    message: `changeCalendar: ${name} ${why}, expected OPEN; run when the calendar opens`,
  });
  if (!port) return refused('unreadable', 'cannot be read here (change calendars are AWS only)');
  let state: string;
  try {
    state = await port.state(name);
  } catch (error) {
    return refused('unreadable', `is unreadable (${(error as Error).message})`);
  }
  if (state !== 'OPEN') return refused(state, `is ${state}`);
  return {
    name: 'changeCalendar',
    ok: true,
    observed: state,
    bound: 'OPEN',
    message: `changeCalendar: ${name} is OPEN`,
  };
}

async function deploymentsCheck(port: DeploymentStatus | undefined, stacks: readonly string[]): Promise<Check> {
  const refused = (observed: string, why: string): Check => ({
    name: 'deployments',
    ok: false,
    observed,
    bound: 'no stack *_IN_PROGRESS',
    message: `deployments: ${why}; run when the deployment has ended`,
  });
  if (!port) return refused('unreadable', 'stacks cannot be read here (deployments are AWS only)');
  let statuses: Array<{ stack: string; status: string }>;
  try {
    statuses = await port.statuses(stacks);
  } catch (error) {
    return refused('unreadable', `stacks ${stacks.join(', ')} are unreadable (${(error as Error).message})`);
  }
  const deploying = statuses.filter((s) => s.status.endsWith('_IN_PROGRESS'));
  if (deploying.length > 0) {
    const list = deploying.map((s) => `${s.stack} is ${s.status}`).join(', ');
    return refused(list, list);
  }
  const list = statuses.map((s) => `${s.stack} ${s.status}`).join(', ');
  return {
    name: 'deployments',
    ok: true,
    observed: list,
    bound: 'no stack *_IN_PROGRESS',
    message: `deployments: ${list}`,
  };
}
