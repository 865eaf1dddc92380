// Janitor (EventBridge: execution ABORTED/TIMED_OUT, and a 5-minute sweep) → core/steps/janitor.ts.

import { reportRenderer } from '../core/report/chart-library.js';
import { type JanitorDeps, janitor } from '../core/steps/janitor.js';
import { AWS_SETTINGS } from '../core/steps/settings.js';
import { loadEnv } from './aws/clients.js';
import * as aws from './aws/wiring.js';
import { logger, stepHandler } from './handler.js';

const env = loadEnv();
const deps: JanitorDeps = {
  clock: aws.clock,
  ledger: aws.ledger(env),
  faults: aws.faults(env),
  results: aws.results(env),
  renderReport: reportRenderer(),
  settings: AWS_SETTINGS,
};

export const handler = stepHandler('Janitor', async (event: unknown) => {
  const outcome = await janitor(deps, event);
  logger.info('janitor pass', { outcome });
  return outcome;
});
