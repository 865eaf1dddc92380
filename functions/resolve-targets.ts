// ResolveTargets (ASL state, in the TargetPools map) → core/steps/resolve-targets.ts: pools of EC2, ECS, Lambda
// and tagged targets.
import { type ResolveTargetsDeps, resolveTargets } from '../core/steps/resolve-targets.js';
import { loadEnv } from './aws/clients.js';
import * as aws from './aws/wiring.js';
import { stepHandler } from './handler.js';

const env = loadEnv();
const deps: ResolveTargetsDeps = { targets: aws.targetPools(env) };

export const handler = stepHandler('ResolveTargets', (event: Parameters<typeof resolveTargets>[1]) =>
  resolveTargets(deps, event),
);
