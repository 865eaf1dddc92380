// Baseline (ASL state) → core/steps/baseline.ts: is the system in steady state before anything is injected?
import { type BaselineDeps, baseline } from '../core/steps/baseline.js';
import { loadEnv } from './aws/clients.js';
import * as aws from './aws/wiring.js';
import { stepHandler } from './handler.js';

const env = loadEnv();
const deps: BaselineDeps = { clock: aws.clock, metrics: aws.metrics(env) };

export const handler = stepHandler('Baseline', (event: Parameters<typeof baseline>[1]) => baseline(deps, event));
