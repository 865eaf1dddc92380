// Figure 2: GetMetricData calls and metrics per run for 3, 20 and 200 probes. The whole run goes through the real
// ASL and steps (bench/workflow.ts) with the metric port being the real CloudWatchMetricSource over an
// aws-sdk-client-mock'ed CloudWatchClient, so every GetMetricDataCommand the adapter sends is counted.
import { CloudWatchClient, GetMetricDataCommand, type GetMetricDataCommandInput } from '@aws-sdk/client-cloudwatch';
import { mockClient } from 'aws-sdk-client-mock';
import type { ExperimentInput } from '../core/experiment/schema.js';
import { probeQueries } from '../core/steps/probes.js';
import { CloudWatchMetricSource, MAX_QUERIES_PER_CALL, planQueries } from '../functions/aws/cloudwatch.js';
import { type AwsRetries, awsWorld, type RunCounts, runOnce } from './workflow.js';

export interface MetricCall {
  phase: string;
  queries: number;
  /** MetricStat queries: what CloudWatch bills as "metrics requested" */
  metrics: number;
}

export interface MetricFigures {
  probes: number;
  calls: MetricCall[];
  /** CloudWatch queries one read of every probe needs (FILL and expressions included) */
  queriesPerRead: number;
  /** per phase read: calls made, and the fewest the 500-query limit allows for its queries */
  reads: Array<{ phase: string; calls: number; queries: number; metrics: number; fewestCalls: number }>;
  run: RunCounts;
  /** the ledger, store and notifier calls of the same run, for the cost figure */
  ledgerWrites: number;
  ledgerReads: number;
  resultPuts: number;
  notifications: number;
  /** FaultEnded invocations (one per FIS state-change event delivered) */
  faultEndedInvocations: number;
}

const LB = { LoadBalancer: 'app/checkout/50dc6c495c0c9188' };

/**
 * `count` probes as real experiments mix them: a latency percentile (missing: ignore), an error count (Sum,
 * missing: zero, so FILL(raw, 0) adds a query) and a metric-math rate over the two before it.
 */
export function probesFor(count: number): NonNullable<ExperimentInput['steadyState']>['probes'] {
  const probes: Record<string, unknown> = {};
  for (let i = 0; i < count; i++) {
    if (i % 3 === 0)
      probes[`latency_${i}`] = {
        metric: { namespace: 'AWS/ApplicationELB', name: 'TargetResponseTime', stat: 'p99', dimensions: LB },
        tolerance: { max: 0.5 },
      };
    else if (i % 3 === 1)
      probes[`errors_${i}`] = {
        metric: { namespace: 'AWS/ApplicationELB', name: 'HTTPCode_Target_5XX_Count', stat: 'Sum', dimensions: LB },
        tolerance: { max: 0 },
      };
    else probes[`rate_${i}`] = { expression: `100 * errors_${i - 1} / (latency_${i - 2} + 1)`, tolerance: { max: 1 } };
  }
  return probes as never;
}

/** Healthy CloudWatch answers: a datapoint per period for every returned query (latency 0.1, the rest 0). */
function answer(input: GetMetricDataCommandInput) {
  const start = (input.StartTime as Date).getTime();
  const end = (input.EndTime as Date).getTime();
  return {
    MetricDataResults: (input.MetricDataQueries ?? [])
      .filter((q) => q.ReturnData !== false)
      .map((q) => {
        const period = (q.MetricStat?.Period ?? 60) * 1000;
        const timestamps: Date[] = [];
        for (let t = start; t < end; t += period) timestamps.push(new Date(t));
        const value = q.Id?.startsWith('latency') ? 0.1 : 0;
        return {
          Id: q.Id,
          StatusCode: 'Complete' as const,
          Timestamps: timestamps,
          Values: timestamps.map(() => value),
        };
      }),
  };
}

export async function benchMetrics(
  probes: number,
  retries: AwsRetries = { lambdaThrottle: false, dataNotReady: false },
): Promise<MetricFigures> {
  const world = awsWorld(5, { steadyState: { baseline: 'PT10M', period: 'PT1M', probes: probesFor(probes) } });
  const client = new CloudWatchClient({
    region: 'us-east-1',
    credentials: { accessKeyId: 'bench', secretAccessKey: 'bench' },
  });
  const mock = mockClient(client);
  const calls: MetricCall[] = [];
  let phase = 'none';
  mock.on(GetMetricDataCommand).callsFake((input: GetMetricDataCommandInput) => {
    const queries = input.MetricDataQueries ?? [];
    calls.push({ phase, queries: queries.length, metrics: queries.filter((q) => q.MetricStat).length });
    return answer(input);
  });
  try {
    world.deps = {
      ...world.deps,
      metrics: new CloudWatchMetricSource(client, {
        clock: world.deps.clock,
        ingestionDelaySeconds: world.deps.settings.defaultIngestionDelaySeconds,
      }),
    };
    const counters = { writes: 0, reads: 0 };
    const ledger = world.deps.ledger;
    const counted =
      <A extends unknown[], R>(kind: 'writes' | 'reads', call: (...args: A) => R) =>
      (...args: A): R => {
        counters[kind]++;
        return call(...args);
      };
    world.deps.ledger = {
      ...ledger,
      acquireLock: counted('writes', ledger.acquireLock),
      releaseLock: counted('writes', ledger.releaseLock),
      putRun: counted('writes', ledger.putRun),
      updateRun: counted('writes', ledger.updateRun),
      getRun: counted('reads', ledger.getRun),
      findRunByFaultId: counted('reads', ledger.findRunByFaultId),
    };
    const run = await runOnce(world, retries, (state, step) => async (i) => {
      phase = state;
      return step(i);
    });
    // what one read of every probe needs, FILL and expressions included, as the adapter plans it
    const { experiment } = await world.deps.catalog.get('checkout-instance-loss');
    const queriesPerRead = planQueries(probeQueries(experiment), 60).entries.size;
    if (calls.some((c) => c.phase === 'none')) throw new Error('a GetMetricData call outside Baseline and Observe');
    if (run.status !== 'SUCCEEDED' || run.verdict !== 'PASSED')
      throw new Error(`metrics bench (${probes} probes) ended ${run.status} with ${run.verdict}: not measurable`);
    return {
      probes,
      calls,
      queriesPerRead,
      reads: readsOf(calls, queriesPerRead),
      run,
      ledgerWrites: counters.writes,
      ledgerReads: counters.reads,
      resultPuts: world.stored.length,
      notifications: world.notifications.length,
      faultEndedInvocations: world.calls.filter((c) => c.startsWith('FaultEnded:')).length,
    };
  } finally {
    mock.restore();
  }
}

function readsOf(calls: MetricCall[], queriesPerRead: number): MetricFigures['reads'] {
  return ['Baseline', 'Observe'].map((phase) => {
    const cs = calls.filter((c) => c.phase === phase);
    return {
      phase,
      calls: cs.length,
      queries: cs.reduce((s, c) => s + c.queries, 0),
      metrics: cs.reduce((s, c) => s + c.metrics, 0),
      fewestCalls: Math.ceil(queriesPerRead / MAX_QUERIES_PER_CALL),
    };
  });
}
