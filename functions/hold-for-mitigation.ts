// HoldForMitigation (ASL state, .waitForTaskToken; GameDay runs) → core/steps/hold-for-mitigation.ts: store the
// token for `shaketable ack … mitigated`, or release the hold at once when that ack already came.
import { type HoldForMitigationDeps, holdForMitigation } from '../core/steps/hold-for-mitigation.js';
import { loadEnv } from './aws/clients.js';
import * as aws from './aws/wiring.js';
import { stepHandler } from './handler.js';

const env = loadEnv();
const deps: HoldForMitigationDeps = { ledger: aws.ledger(env), tokens: aws.tokens(env) };

export const handler = stepHandler('HoldForMitigation', (event: Parameters<typeof holdForMitigation>[1]) =>
  holdForMitigation(deps, event),
);
