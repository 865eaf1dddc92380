// ResolveRdsTargets (ASL state, in the TargetPools map) → core/steps/resolve-targets.ts: pools of RDS clusters and
// DB instances, in a function of their own because RDS's client is the heaviest.
import { type ResolveTargetsDeps, resolveTargets } from '../core/steps/resolve-targets.js';
import { loadEnv } from './aws/clients.js';
import * as aws from './aws/wiring.js';
import { stepHandler } from './handler.js';

const env = loadEnv();
const deps: ResolveTargetsDeps = { targets: aws.rdsTargetPools(env) };

export const handler = stepHandler('ResolveRdsTargets', (event: Parameters<typeof resolveTargets>[1]) =>
  resolveTargets(deps, event),
);
