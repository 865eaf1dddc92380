// Evaluate (ASL state) → core/steps/evaluate.ts: the verdict and its reasons.

import { evaluate } from '../core/steps/evaluate.js';
import { AWS_SETTINGS } from '../core/steps/settings.js';
import { loadEnv } from './aws/clients.js';
import * as aws from './aws/wiring.js';
import { stepHandler, wiredDeps } from './handler.js';

const env = loadEnv();
const deps = wiredDeps({
  clock: aws.clock,
  alarms: aws.alarms(env),
  faults: aws.faults(env),
  settings: AWS_SETTINGS,
});

export const handler = stepHandler('Evaluate', (event: Parameters<typeof evaluate>[1]) => evaluate(deps, event));
