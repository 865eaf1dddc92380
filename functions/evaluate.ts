// Evaluate (ASL state) → core/steps/evaluate.ts: the verdict and its reasons.

import { type EvaluateDeps, evaluate } from '../core/steps/evaluate.js';
import { loadEnv } from './aws/clients.js';
import * as aws from './aws/wiring.js';
import { stepHandler } from './handler.js';

const env = loadEnv();
const deps: EvaluateDeps = {
  clock: aws.clock,
  alarms: aws.alarms(env),
  faults: aws.faults(env),
  acks: aws.ledger(env),
};

export const handler = stepHandler('Evaluate', (event: Parameters<typeof evaluate>[1]) => evaluate(deps, event));
