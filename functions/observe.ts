// Observe (ASL state) → core/steps/observe.ts: every probe over baseline, fault and recovery at once.
import { type ObserveDeps, observe } from '../core/steps/observe.js';
import { loadEnv } from './aws/clients.js';
import * as aws from './aws/wiring.js';
import { stepHandler } from './handler.js';

const env = loadEnv();
const deps: ObserveDeps = { clock: aws.clock, metrics: aws.metrics(env) };

export const handler = stepHandler('Observe', (event: Parameters<typeof observe>[1]) => observe(deps, event));
