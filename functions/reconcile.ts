// Reconcile (ASL state) → core/steps/reconcile.ts: the FIS event was late or lost; ask FIS.
import { type ReconcileDeps, reconcile } from '../core/steps/reconcile.js';
import { loadEnv } from './aws/clients.js';
import * as aws from './aws/wiring.js';
import { stepHandler } from './handler.js';

const env = loadEnv();
const deps: ReconcileDeps = { clock: aws.clock, ledger: aws.ledger(env), faults: aws.faults(env) };

export const handler = stepHandler('Reconcile', (event: Parameters<typeof reconcile>[1]) => reconcile(deps, event));
