// Preflight (ASL state) → core/steps/preflight.ts: every guardrail (pools from the TargetPools map), then the lock.

import { preflight } from '../core/steps/preflight.js';
import { AWS_SETTINGS } from '../core/steps/settings.js';
import { loadEnv } from './aws/clients.js';
import { ledger } from './aws/ledger-wiring.js';
import * as aws from './aws/wiring.js';
import { stepHandler, wiredDeps } from './handler.js';

const env = loadEnv();
const deps = wiredDeps({
  clock: aws.clock,
  killSwitch: aws.killSwitch(env),
  alarms: aws.alarms(env),
  ledger: ledger(env),
  settings: AWS_SETTINGS,
});

export const handler = stepHandler('Preflight', (event: Parameters<typeof preflight>[1]) => preflight(deps, event));
