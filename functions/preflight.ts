// Preflight (ASL state) → core/steps/preflight.ts: every guardrail (pools from the TargetPools map), then the lock.

import { type PreflightDeps, preflight } from '../core/steps/preflight.js';
import { loadEnv } from './aws/clients.js';
import * as aws from './aws/wiring.js';
import { stepHandler } from './handler.js';

const env = loadEnv();
const deps: PreflightDeps = {
  clock: aws.clock,
  killSwitch: aws.killSwitch(env),
  alarms: aws.alarms(env),
  ledger: aws.ledger(env),
  changeCalendar: aws.changeCalendar(env),
  deployments: aws.deployments(env),
};

export const handler = stepHandler('Preflight', (event: Parameters<typeof preflight>[1]) => preflight(deps, event));
