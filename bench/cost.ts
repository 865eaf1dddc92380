// Figure 6: what one AWS run of a 5-probe experiment costs to orchestrate, from the counts a run through the real
// ASL observed (bench/metrics.ts: transitions, Lambda invocations, GetMetricData metrics, ledger, store, notifier)
// priced by core/cost; and the standing monthly cost of each shipped AWS experiment (compiled alarms, schedule).
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  estimateRunCost,
  estimateStandingCost,
  lambdaGbSeconds,
  type RunCost,
  type RunUsage,
  type StandingCost,
  standingUsageFor,
} from '../core/cost/index.js';
import { validateSources } from '../core/experiment/validate.js';
import type { MetricFigures } from './metrics.js';

const ROOT = fileURLToPath(new URL('../', import.meta.url));

/** Memory of each function as infra/constructs/experiment-workflow.ts configures it (Publish renders the report). */
const MEMORY_MB: Record<string, number> = { Publish: 1024 };
const DEFAULT_MEMORY_MB = 512;
/**
 * Assumption, not a measurement: a billed second per invocation, init included (Lambda bills the init phase of
 * on-demand functions). Each step makes a handful of API calls; this errs high.
 */
export const ASSUMED_BILLED_MS = 1000;
/**
 * Assumption: a ledger write costs the table and its three GSIs, items up to 2 KB (a run record with a task
 * token): 8 write units. A read is a consistent read under 4 KB: 1 read unit.
 */
export const WRITE_UNITS_PER_LEDGER_WRITE = 8;
export const READ_UNITS_PER_LEDGER_READ = 1;

export interface CostFigures {
  usage: RunUsage;
  run: RunCost;
  assumptions: string[];
  standing: Array<{ experiment: string; cost: StandingCost }>;
}

/** Prices the counts of one observed run (`figures` of a 5-probe run with the retries AWS adds). */
export function runUsageOf(figures: MetricFigures): RunUsage {
  const invocations = Object.entries(figures.run.lambdaInvocations).flatMap(([state, n]) =>
    Array.from({ length: n }, () => ({
      memoryMb: MEMORY_MB[state] ?? DEFAULT_MEMORY_MB,
      durationMs: ASSUMED_BILLED_MS,
    })),
  );
  // FaultEnded runs once per FIS state-change event delivered (an EventBridge target, not a state).
  for (let i = 0; i < figures.faultEndedInvocations; i++)
    invocations.push({ memoryMb: DEFAULT_MEMORY_MB, durationMs: ASSUMED_BILLED_MS });
  return {
    stateTransitions: figures.run.transitions,
    lambda: { gbSeconds: lambdaGbSeconds(invocations), requests: invocations.length },
    getMetricDataMetrics: figures.calls.reduce((sum, c) => sum + c.metrics, 0),
    snsPublishes: figures.notifications,
    // the S3 store writes result.json and report.html per result
    s3Puts: figures.resultPuts * 2,
    dynamoDbWriteUnits: figures.ledgerWrites * WRITE_UNITS_PER_LEDGER_WRITE,
    dynamoDbReadUnits: figures.ledgerReads * READ_UNITS_PER_LEDGER_READ,
    fisActionMinutes: 0,
  };
}

/** The standing monthly cost of every shipped AWS experiment (experiments/*.yaml, local ones are not deployed). */
export async function standingCosts(): Promise<CostFigures['standing']> {
  const folder = join(ROOT, 'experiments');
  const files = (await readdir(folder)).filter((f) => f.endsWith('.yaml')).sort();
  const reports = validateSources(
    await Promise.all(files.map(async (f) => ({ file: f, content: await readFile(join(folder, f), 'utf8') }))),
  );
  return reports.map((r) => {
    if (!r.valid || !r.experiment) throw new Error(`experiments/${r.file} is not valid: ${r.issues[0]?.message}`);
    return { experiment: r.experiment.name, cost: estimateStandingCost(standingUsageFor(r.experiment)) };
  });
}

export async function benchCost(fiveProbeRun: MetricFigures): Promise<CostFigures> {
  const usage = runUsageOf(fiveProbeRun);
  return {
    usage,
    run: estimateRunCost(usage),
    assumptions: [
      `Lambda: ${ASSUMED_BILLED_MS} ms billed per invocation (assumed), ${DEFAULT_MEMORY_MB} MB (Publish ${MEMORY_MB.Publish} MB), Arm`,
      `DynamoDB: ${WRITE_UNITS_PER_LEDGER_WRITE} write units per ledger write (table + 3 GSIs, ≤ 2 KB items), ${READ_UNITS_PER_LEDGER_READ} read unit per read`,
      'not counted: CloudWatch DescribeAlarms/History and SSM/FIS API requests (free or $0.01 per 1,000), EMF custom metrics (prorated per hour with data)',
    ],
    standing: await standingCosts(),
  };
}
