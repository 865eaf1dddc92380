// InjectFault (ASL state, .waitForTaskToken) → core/steps/inject-fault.ts: last re-check, token, StartExperiment.
import { type InjectFaultDeps, injectFault } from '../core/steps/inject-fault.js';
import { loadEnv } from './aws/clients.js';
import * as aws from './aws/wiring.js';
import { stepHandler } from './handler.js';

const env = loadEnv();
const deps: InjectFaultDeps = {
  clock: aws.clock,
  killSwitch: aws.killSwitch(env),
  alarms: aws.alarms(env),
  ledger: aws.ledger(env),
  faults: aws.faults(env),
  tokens: aws.tokens(env),
  changeCalendar: aws.changeCalendar(env),
  deployments: aws.deployments(env),
};

export const handler = stepHandler('InjectFault', (event: Parameters<typeof injectFault>[1]) =>
  injectFault(deps, event),
);
