// StopFault / StopOverdueFault (ASL states) → core/steps/stop-fault.ts: record the cause, stop the fault.
import { type StopFaultDeps, stopFault } from '../core/steps/stop-fault.js';
import { loadEnv } from './aws/clients.js';
import * as aws from './aws/wiring.js';
import { stepHandler } from './handler.js';

const env = loadEnv();
const deps: StopFaultDeps = { clock: aws.clock, ledger: aws.ledger(env), faults: aws.faults(env) };

export const handler = stepHandler(
  // StopOverdueFault passes cause maxDuration; StopFault, on the error path, orchestrator-error
  (event) => (event.cause === 'maxDuration' ? 'StopOverdueFault' : 'StopFault'),
  (event: Parameters<typeof stopFault>[1]) => stopFault(deps, event),
);
