// The sandbox's metric store: what the load generator and the balancer measured, at 1-second resolution, answering
// the same MetricSource queries as CloudWatch for namespace Local/Demo (Requests, Errors, Latency, HealthyInstances),
// and for Local/Host, the sandbox's own health (how starved the machine doing the measuring was). Periods are aligned
// to the epoch; a period has data only once it is complete.
import { evaluateSeries } from '../../core/expression/evaluate.js';
import { referencedIds } from '../../core/expression/parse.js';
import {
  type Clock,
  type MetricQuery,
  type MetricSource,
  type Series,
  systemClock,
  type TimeWindow,
} from '../../core/ports.js';

export const LOCAL_NAMESPACE = 'Local/Demo';
export const LOCAL_METRICS = ['Requests', 'Errors', 'Latency', 'HealthyInstances'] as const;
export type LocalMetricName = (typeof LOCAL_METRICS)[number];

/**
 * The sandbox's own health, recorded by local/metrics/host.ts, the instances and the load generator: `EventLoopDelay`
 * (ms, p99 per second of an event loop: the sandbox process's — runner, load generator and balancer share it — and
 * each demo instance's),
 * `SendLag` (ms, one sample per request: how long after its intended time the load generator sent it),
 * `CpuPressure` (%, share of each second in which some task on the machine waited for a CPU, Linux PSI) or, where PSI
 * is not readable, `LoadPerCore` (1-minute load average / cores).
 */
export const HOST_NAMESPACE = 'Local/Host';
export const HOST_METRICS = ['EventLoopDelay', 'SendLag', 'CpuPressure', 'LoadPerCore'] as const;
export type HostMetricName = (typeof HOST_METRICS)[number];

/** A query the local store cannot answer: another namespace, metric, dimension or statistic. */
export class UnsupportedMetricError extends Error {
  override readonly name = 'Shaketable.UnsupportedMetric';
}

interface Second {
  requests: number;
  errors: number;
  latencies: number[];
  healthy: number[];
  host: Partial<Record<HostMetricName, number[]>>;
}

/** Raw samples older than this are dropped: a local run lasts minutes, and memory should not grow with uptime. */
const RETENTION_MS = 60 * 60 * 1000;

/**
 * CloudWatch-style statistic over raw samples. Percentiles use the nearest-rank method (the smallest sample with at
 * least p % of the samples at or below it), so p99 of 1..100 is 99 and every percentile is a measured value.
 */
export function statistic(stat: string, samples: readonly number[]): number | undefined {
  if (samples.length === 0) return undefined;
  switch (stat) {
    case 'SampleCount':
      return samples.length;
    case 'Sum':
      return samples.reduce((a, b) => a + b, 0);
    case 'Average':
      return samples.reduce((a, b) => a + b, 0) / samples.length;
    case 'Minimum':
      return Math.min(...samples);
    case 'Maximum':
      return Math.max(...samples);
  }
  const match = /^p(\d{1,2}(?:\.\d+)?)$/.exec(stat);
  if (!match)
    throw new UnsupportedMetricError(
      `statistic ${stat} is not supported locally; use Sum, SampleCount, Average, Minimum, Maximum or pNN`,
    );
  const p = Number(match[1]);
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1];
}

const COUNT_STATS = new Set(['Sum', 'SampleCount', 'Average', 'Minimum', 'Maximum']);

export class MetricStore implements MetricSource {
  private readonly seconds = new Map<number, Second>();
  private since: number | undefined;

  constructor(private readonly clock: Clock = systemClock) {}

  /** Marks the start of recording: from this second on, a second with no request counts 0 requests, 0 errors. */
  open(at: number = this.clock.now().getTime()): void {
    if (this.since === undefined || at < this.since) this.since = at;
  }

  /** When recording started (epoch ms), or undefined before any. */
  recordingSince(): number | undefined {
    return this.since;
  }

  /** One client request, at its completion time, as the client saw it: failed is a 5xx, a timeout or a connection error. */
  recordRequest(at: number, failed: boolean): void {
    this.open(at);
    const second = this.second(at);
    second.requests += 1;
    if (failed) second.errors += 1;
  }

  /**
   * One response as the balancer timed it (Latency), at its time: where an ALB measures TargetResponseTime, not in a
   * client whose own event loop may be late to see the answer.
   */
  recordLatency(at: number, latencyMs: number): void {
    this.open(at);
    this.second(at).latencies.push(latencyMs);
  }

  /** One sample of the sandbox's own health (namespace Local/Host). */
  recordHost(metric: HostMetricName, at: number, value: number): void {
    const host = this.second(at).host;
    host[metric] ??= [];
    host[metric].push(value);
  }

  /** The raw Local/Host samples of `metric` recorded in [start, end), for the host-health adapter. */
  hostSamples(metric: HostMetricName, start: number, end: number): number[] {
    const samples: number[] = [];
    for (let s = Math.floor(start / 1000); s < Math.ceil(end / 1000); s++) {
      samples.push(...(this.seconds.get(s)?.host[metric] ?? []));
    }
    return samples;
  }

  recordHealthy(at: number, count: number): void {
    this.open(at);
    this.second(at).healthy.push(count);
  }

  /** Seconds of complete data recorded so far. */
  completeSeconds(now: number = this.clock.now().getTime()): number {
    if (this.since === undefined) return 0;
    return Math.max(0, Math.floor(now / 1000) - Math.ceil(this.since / 1000));
  }

  async getSeries(queries: MetricQuery[], window: TimeWindow, periodSeconds: number): Promise<Record<string, Series>> {
    if (!Number.isInteger(periodSeconds) || periodSeconds < 1) {
      throw new UnsupportedMetricError(`period must be a whole number of seconds >= 1, got ${periodSeconds}`);
    }
    const now = this.clock.now().getTime();
    this.prune(now);
    const periods = this.periods(window, periodSeconds, now);
    const out: Record<string, Series> = {};
    for (const query of queries) {
      if (query.metric) out[query.id] = this.metricSeries(query, periods, periodSeconds);
    }
    const expressions = queries.filter((q) => q.expression !== undefined);
    // Expressions may refer to other expressions: evaluate each once everything it names is known.
    let remaining = expressions;
    while (remaining.length > 0) {
      const ready = remaining.filter((q) => referencedIds(q.expression!).every((id) => Object.hasOwn(out, id)));
      if (ready.length === 0) {
        throw new UnsupportedMetricError(
          `expressions ${remaining.map((q) => q.id).join(', ')} refer to queries that are missing or form a cycle`,
        );
      }
      for (const query of ready) {
        // The same evaluator core uses, so a local expression probe reads as CloudWatch's metric math would.
        const series = evaluateSeries(query.expression!, out, { periodSeconds, timestamps: periods });
        out[query.id] = query.missing === 'zero' ? fillZero(series, periods) : series;
      }
      remaining = remaining.filter((q) => !ready.includes(q));
    }
    return out;
  }

  private second(at: number): Second {
    const key = Math.floor(at / 1000);
    let second = this.seconds.get(key);
    if (!second) {
      second = { requests: 0, errors: 0, latencies: [], healthy: [], host: {} };
      this.seconds.set(key, second);
    }
    return second;
  }

  private prune(now: number): void {
    const oldest = Math.floor((now - RETENTION_MS) / 1000);
    for (const key of this.seconds.keys()) if (key < oldest) this.seconds.delete(key);
  }

  /**
   * Starts (epoch ms) of the periods of the window that have data: aligned to the epoch, starting at or after the
   * window's start rounded down, before its end, complete (ended by now) and wholly recorded — the period in which
   * recording started is left out, since its counts would be partial (24 requests in a second of 40 rps).
   */
  private periods(window: TimeWindow, periodSeconds: number, now: number): number[] {
    if (this.since === undefined) return [];
    const size = periodSeconds * 1000;
    const starts: number[] = [];
    for (let start = Math.floor(window.start / size) * size; start < window.end; start += size) {
      if (start + size > now) break;
      if (start < this.since) continue;
      starts.push(start);
    }
    return starts;
  }

  private metricSeries(query: MetricQuery, periods: number[], periodSeconds: number): Series {
    const metric = query.metric!;
    if (metric.namespace === HOST_NAMESPACE) return this.hostSeries(query, periods, periodSeconds);
    if (metric.namespace !== LOCAL_NAMESPACE) {
      throw new UnsupportedMetricError(
        `${query.id}: namespace ${metric.namespace} is not served by the local sandbox; use ${LOCAL_NAMESPACE} or ${HOST_NAMESPACE}`,
      );
    }
    if (!(LOCAL_METRICS as readonly string[]).includes(metric.name)) {
      throw new UnsupportedMetricError(
        `${query.id}: metric ${metric.name} is not in ${LOCAL_NAMESPACE}; use one of ${LOCAL_METRICS.join(', ')}`,
      );
    }
    if (metric.dimensions && Object.keys(metric.dimensions).length > 0) {
      throw new UnsupportedMetricError(`${query.id}: ${LOCAL_NAMESPACE} metrics have no dimensions`);
    }
    const name = metric.name as LocalMetricName;
    if ((name === 'Requests' || name === 'Errors') && !COUNT_STATS.has(metric.stat)) {
      throw new UnsupportedMetricError(
        `${query.id}: statistic ${metric.stat} of ${name} is not supported; use Sum, SampleCount, Average, Minimum or Maximum`,
      );
    }
    const series: Series = [];
    for (const start of periods) {
      const value = this.periodValue(name, metric.stat, start, periodSeconds);
      if (value !== undefined) series.push([start, value]);
      else if (query.missing === 'zero') series.push([start, 0]);
    }
    return series;
  }

  private hostSeries(query: MetricQuery, periods: number[], periodSeconds: number): Series {
    const metric = query.metric!;
    if (!(HOST_METRICS as readonly string[]).includes(metric.name)) {
      throw new UnsupportedMetricError(
        `${query.id}: metric ${metric.name} is not in ${HOST_NAMESPACE}; use one of ${HOST_METRICS.join(', ')}`,
      );
    }
    if (metric.dimensions && Object.keys(metric.dimensions).length > 0) {
      throw new UnsupportedMetricError(`${query.id}: ${HOST_NAMESPACE} metrics have no dimensions`);
    }
    const series: Series = [];
    for (const start of periods) {
      const samples = this.hostSamples(metric.name as HostMetricName, start, start + periodSeconds * 1000);
      const value = statistic(metric.stat, samples);
      if (value !== undefined) series.push([start, value]);
      else if (query.missing === 'zero') series.push([start, 0]);
    }
    return series;
  }

  private periodValue(name: LocalMetricName, stat: string, start: number, periodSeconds: number): number | undefined {
    const seconds: Second[] = [];
    for (let s = start / 1000; s < start / 1000 + periodSeconds; s++) {
      const second = this.seconds.get(s);
      if (second) seconds.push(second);
    }
    if (name === 'Latency')
      return statistic(
        stat,
        seconds.flatMap((s) => s.latencies),
      );
    if (name === 'HealthyInstances')
      return statistic(
        stat,
        seconds.flatMap((s) => s.healthy),
      );
    // Requests and Errors: each request is one sample of 1 (Requests) or 0/1 (Errors), so Sum counts, Average of
    // Errors is the error ratio, and a period with no request counts 0, as the experiment's `zero` default expects.
    const requests = seconds.reduce((a, s) => a + s.requests, 0);
    const errors = seconds.reduce((a, s) => a + s.errors, 0);
    const count = name === 'Requests' ? requests : errors;
    switch (stat) {
      case 'Sum':
        return count;
      case 'SampleCount':
        return requests;
      case 'Average':
        return requests ? count / requests : undefined;
      case 'Minimum':
        return requests ? (name === 'Requests' || errors === requests ? 1 : 0) : undefined;
      default:
        return requests ? (count > 0 ? 1 : 0) : undefined;
    }
  }
}

function fillZero(series: Series, periods: number[]): Series {
  const known = new Map(series);
  return periods.map((start) => [start, known.get(start) ?? 0]);
}
