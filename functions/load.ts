// Load (ASL state) → core/steps/load.ts: the catalog entry, the run's record, its template as FIS holds it, and
// the run plan.
import { type LoadDeps, load } from '../core/steps/load.js';
import { AWS_SETTINGS } from '../core/steps/settings.js';
import { loadEnv } from './aws/clients.js';
import * as aws from './aws/wiring.js';
import { stepHandler } from './handler.js';

const env = loadEnv();
const deps: LoadDeps = {
  catalog: aws.catalog(env),
  templates: aws.templates(env),
  ledger: aws.ledger(env),
  settings: AWS_SETTINGS,
};

export const handler = stepHandler('Load', (event: Parameters<typeof load>[1]) => load(deps, event));
