import { describe, expect, it } from 'vitest';
import type { MetricQuery } from '../../../core/ports.js';
import { MetricStore, statistic, UnsupportedMetricError } from '../../../local/metrics/store.js';

const T0 = 1_700_000_000_000; // an epoch second boundary
const at = (seconds: number) => T0 + seconds * 1000;

function storeAt(clockSeconds: { now: number }) {
  return new MetricStore({ now: () => new Date(at(clockSeconds.now)) });
}

/** A request the client saw end (Requests, Errors) and the balancer timed (Latency), at one instant. */
function served(store: MetricStore, t: number, latencyMs: number, failed: boolean): void {
  store.recordRequest(t, failed);
  store.recordLatency(t, latencyMs);
}

const q = (id: string, name: string, stat: string, missing: MetricQuery['missing'] = 'ignore'): MetricQuery => ({
  id,
  metric: { namespace: 'Local/Demo', name, stat },
  missing,
});

describe('statistic', () => {
  const oneToHundred = Array.from({ length: 100 }, (_, i) => 100 - i);

  it('gives nearest-rank percentiles of known samples', () => {
    expect(statistic('p50', oneToHundred)).toBe(50);
    expect(statistic('p90', oneToHundred)).toBe(90);
    expect(statistic('p99', oneToHundred)).toBe(99);
    expect(statistic('p99.9', oneToHundred)).toBe(100);
    expect(statistic('p50', [7])).toBe(7);
  });

  it('gives average, minimum, maximum, sum and sample count', () => {
    expect(statistic('Average', [1, 2, 3, 10])).toBe(4);
    expect(statistic('Minimum', [5, 2, 9])).toBe(2);
    expect(statistic('Maximum', [5, 2, 9])).toBe(9);
    expect(statistic('Sum', [5, 2, 9])).toBe(16);
    expect(statistic('SampleCount', [5, 2, 9])).toBe(3);
  });

  it('has no value for no samples and refuses statistics it does not know', () => {
    expect(statistic('p99', [])).toBeUndefined();
    expect(() => statistic('IQM', [1])).toThrow(UnsupportedMetricError);
  });
});

describe('MetricStore', () => {
  it('answers latency statistics per period over the raw samples of that period', async () => {
    const clock = { now: 0 };
    const store = storeAt(clock);
    store.open(at(0));
    for (let i = 1; i <= 100; i++) served(store, at(0) + i, i, false); // second 0: 1..100 ms
    for (const ms of [10, 20, 30]) served(store, at(1) + 5, ms, false); // second 1
    clock.now = 2;
    const series = await store.getSeries(
      [
        q('p50', 'Latency', 'p50'),
        q('p99', 'Latency', 'p99'),
        q('avg', 'Latency', 'Average'),
        q('max', 'Latency', 'Maximum'),
        q('min', 'Latency', 'Minimum'),
      ],
      { start: at(0), end: at(2) },
      1,
    );
    expect(series.p50).toEqual([
      [at(0), 50],
      [at(1), 20],
    ]);
    expect(series.p99).toEqual([
      [at(0), 99],
      [at(1), 30],
    ]);
    expect(series.avg).toEqual([
      [at(0), 50.5],
      [at(1), 20],
    ]);
    expect(series.max).toEqual([
      [at(0), 100],
      [at(1), 30],
    ]);
    expect(series.min).toEqual([
      [at(0), 1],
      [at(1), 10],
    ]);
  });

  it('sums Requests and Errors per period and counts 0 in a recorded period with none', async () => {
    const clock = { now: 0 };
    const store = storeAt(clock);
    store.open(at(0));
    served(store, at(0) + 100, 5, false);
    served(store, at(0) + 200, 5, true);
    served(store, at(2) + 300, 5, true);
    clock.now = 4;
    const series = await store.getSeries(
      [
        q('requests', 'Requests', 'Sum'),
        q('errors', 'Errors', 'Sum'),
        q('ratio', 'Errors', 'Average'),
        q('lat', 'Latency', 'p99'),
      ],
      { start: at(0), end: at(4) },
      1,
    );
    expect(series.requests).toEqual([
      [at(0), 2],
      [at(1), 0],
      [at(2), 1],
      [at(3), 0],
    ]);
    expect(series.errors).toEqual([
      [at(0), 1],
      [at(1), 0],
      [at(2), 1],
      [at(3), 0],
    ]);
    expect(series.ratio).toEqual([
      [at(0), 0.5],
      [at(2), 1],
    ]);
    // Latency has no datapoint in a period without requests, as CloudWatch publishes none.
    expect(series.lat).toEqual([
      [at(0), 5],
      [at(2), 5],
    ]);
  });

  it('aggregates periods aligned to the epoch and gives no datapoint before recording or for an incomplete period', async () => {
    const clock = { now: 0 };
    const store = storeAt(clock);
    store.open(at(10) + 400); // second 10 is only partly recorded
    for (let s = 10; s < 17; s++) served(store, at(s) + 500, s, s === 12);
    clock.now = 16.5;
    const series = await store.getSeries(
      [q('requests', 'Requests', 'Sum'), q('errors', 'Errors', 'Sum', 'zero')],
      { start: at(5), end: at(20) },
      2,
    );
    // Periods [10,12) (partly recorded), [12,14), [14,16) complete; [16,18) not over yet.
    expect(series.requests).toEqual([
      [at(12), 2],
      [at(14), 2],
    ]);
    expect(series.errors).toEqual([
      [at(12), 1],
      [at(14), 0],
    ]);
    expect(store.completeSeconds(at(16) + 500)).toBe(5);
  });

  it('reports HealthyInstances minimum, maximum and average over the samples of a period', async () => {
    const clock = { now: 3 };
    const store = storeAt(clock);
    store.open(at(0));
    store.recordHealthy(at(0) + 500, 3);
    store.recordHealthy(at(1) + 100, 2);
    store.recordHealthy(at(1) + 500, 2);
    store.recordHealthy(at(1) + 900, 3);
    const series = await store.getSeries(
      [
        q('min', 'HealthyInstances', 'Minimum'),
        q('max', 'HealthyInstances', 'Maximum'),
        q('avg', 'HealthyInstances', 'Average'),
      ],
      { start: at(0), end: at(3) },
      1,
    );
    expect(series.min).toEqual([
      [at(0), 3],
      [at(1), 2],
    ]);
    expect(series.max).toEqual([
      [at(0), 3],
      [at(1), 3],
    ]);
    expect(series.avg?.[1]?.[1]).toBeCloseTo(7 / 3);
  });

  it('evaluates expression queries over the other queries with metric math', async () => {
    const clock = { now: 2 };
    const store = storeAt(clock);
    store.open(at(0));
    for (let i = 0; i < 4; i++) served(store, at(0) + i, 5, i === 0);
    for (let i = 0; i < 5; i++) served(store, at(1) + i, 5, false);
    const series = await store.getSeries(
      [
        q('errors', 'Errors', 'Sum', 'zero'),
        q('requests', 'Requests', 'Sum', 'zero'),
        { id: 'pct', expression: 'error_rate * 100', missing: 'ignore' },
        { id: 'error_rate', expression: 'errors / requests', missing: 'ignore' },
      ],
      { start: at(0), end: at(2) },
      1,
    );
    expect(series.error_rate).toEqual([
      [at(0), 0.25],
      [at(1), 0],
    ]);
    expect(series.pct).toEqual([
      [at(0), 25],
      [at(1), 0],
    ]);
  });

  it('refuses metrics outside Local/Demo, with dimensions, or percentiles of counts', async () => {
    const store = storeAt({ now: 1 });
    const window = { start: at(0), end: at(1) };
    await expect(
      store.getSeries(
        [{ id: 'x', metric: { namespace: 'AWS/ApplicationELB', name: 'RequestCount', stat: 'Sum' }, missing: 'zero' }],
        window,
        1,
      ),
    ).rejects.toThrow(/AWS\/ApplicationELB is not served/);
    await expect(
      store.getSeries(
        [
          {
            id: 'x',
            metric: { namespace: 'Local/Demo', name: 'Latency', stat: 'p99', dimensions: { a: 'b' } },
            missing: 'ignore',
          },
        ],
        window,
        1,
      ),
    ).rejects.toThrow(/no dimensions/);
    await expect(store.getSeries([q('x', 'Errors', 'p99')], window, 1)).rejects.toThrow(UnsupportedMetricError);
    await expect(store.getSeries([q('x', 'Nope', 'Sum')], window, 1)).rejects.toThrow(/not in Local\/Demo/);
    await expect(store.getSeries([q('x', 'Latency', 'p99')], window, 0.5)).rejects.toThrow(/whole number/);
  });

  it('has no datapoint at all before anything was recorded', async () => {
    const store = storeAt({ now: 10 });
    const series = await store.getSeries([q('errors', 'Errors', 'Sum', 'zero')], { start: at(0), end: at(10) }, 1);
    expect(series.errors).toEqual([]);
    expect(store.completeSeconds(at(10))).toBe(0);
  });
});

describe('Local/Host', () => {
  it('answers the sandbox health series per period like any metric, and refuses an unknown one', async () => {
    const store = storeAt({ now: 3 });
    store.open(at(0));
    store.recordHost('EventLoopDelay', at(0) + 500, 15);
    store.recordHost('EventLoopDelay', at(1) + 500, 300);
    store.recordHost('EventLoopDelay', at(1) + 700, 20);
    const host = (id: string, name: string, stat: string): MetricQuery => ({
      id,
      metric: { namespace: 'Local/Host', name, stat },
      missing: 'ignore',
    });
    const series = await store.getSeries([host('eld', 'EventLoopDelay', 'Maximum')], { start: at(0), end: at(3) }, 1);
    expect(series.eld).toEqual([
      [at(0), 15],
      [at(1), 300],
    ]);
    await expect(store.getSeries([host('x', 'Steal', 'Maximum')], { start: at(0), end: at(3) }, 1)).rejects.toThrow(
      /Steal is not in Local\/Host/,
    );
  });
});
