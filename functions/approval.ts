// Approval (ASL state, .waitForTaskToken) → core/steps/approval.ts: store the token, ask a human.
import { type ApprovalDeps, approval } from '../core/steps/approval.js';
import { loadEnv } from './aws/clients.js';
import * as aws from './aws/wiring.js';
import { stepHandler } from './handler.js';

const env = loadEnv();
const deps: ApprovalDeps = { clock: aws.clock, ledger: aws.ledger(env), approvals: aws.approvals(env) };

export const handler = stepHandler('Approval', (event: Parameters<typeof approval>[1]) => approval(deps, event));
