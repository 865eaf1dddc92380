// FaultEnded (EventBridge "FIS Experiment State Change") → core/steps/fault-ended.ts: wakes the waiting run.
import { type FaultEndedDeps, faultEnded } from '../core/steps/fault-ended.js';
import { loadEnv } from './aws/clients.js';
import * as aws from './aws/wiring.js';
import { logger, stepHandler } from './handler.js';

const env = loadEnv();
const deps: FaultEndedDeps = {
  clock: aws.clock,
  ledger: aws.ledger(env),
  faults: aws.faults(env),
  tokens: aws.tokens(env),
};

export const handler = stepHandler('FaultEnded', async (event: unknown) => {
  const outcome = await faultEnded(deps, event);
  logger.info('fault event handled', { outcome });
  return outcome;
});
