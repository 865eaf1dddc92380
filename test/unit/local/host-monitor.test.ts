// The sandbox's own health: the PSI parser, the per-phase worst period the verdict rule reads, and the sampler's
// records (event-loop delay, CPU pressure or its load-average fallback) in the metric store.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { LATE_SEND_MS } from '../../../core/verdict/rules/host-starved.js';
import { HostMonitor, parseCpuPressureTotal } from '../../../local/metrics/host.js';
import { MetricStore } from '../../../local/metrics/store.js';

const T0 = 1_700_000_000_000;
const at = (seconds: number) => T0 + seconds * 1000;

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

describe('parseCpuPressureTotal', () => {
  it('reads the `some` total of /proc/pressure/cpu and nothing from a file without one', () => {
    const psi =
      'some avg10=46.37 avg60=26.40 avg300=14.06 total=74480390\nfull avg10=0.00 avg60=0.00 avg300=0.00 total=0\n';
    expect(parseCpuPressureTotal(psi)).toBe(74480390);
    expect(parseCpuPressureTotal('')).toBeUndefined();
  });
});

describe('HostMonitor.measure', () => {
  it('gives the worst period of a window for each measure, and no value where nothing was recorded', async () => {
    const store = new MetricStore({ now: () => new Date(at(10)) });
    const monitor = new HostMonitor(store);
    store.recordHost('EventLoopDelay', at(0) + 500, 12);
    store.recordHost('EventLoopDelay', at(1) + 500, 340);
    store.recordHost('EventLoopDelay', at(1) + 600, 20);
    for (let i = 0; i < 10; i++) store.recordHost('SendLag', at(0) + i, 1);
    for (let i = 0; i < 10; i++) store.recordHost('SendLag', at(1) + i, i < 4 ? LATE_SEND_MS + 1 : 0);
    store.recordHost('CpuPressure', at(1) + 500, 97);
    expect(await monitor.measure({ start: at(0), end: at(2) }, 1)).toEqual({
      periods: 2,
      eventLoopDelayMs: 340,
      lateSends: 0.4,
      cpuPressure: 0.97,
    });
    expect(await monitor.measure({ start: at(0), end: at(1) }, 1)).toEqual({
      periods: 1,
      eventLoopDelayMs: 12,
      lateSends: 0,
    });
    expect(await monitor.measure({ start: at(5), end: at(8) }, 1)).toEqual({ periods: 0 });
  });
});

describe('HostMonitor sampling', () => {
  async function sampled(pressureFile: string) {
    const store = new MetricStore();
    const monitor = new HostMonitor(store, { pressureFile });
    cleanups.push(() => monitor.stop());
    const since = Date.now();
    monitor.start();
    await new Promise((resolve) => setTimeout(resolve, 3200));
    await monitor.stop();
    return { store, monitor, since, until: Date.now() + 1 };
  }

  it('records the event-loop delay and the CPU pressure from PSI every second', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'shaketable-psi-'));
    cleanups.push(() => rm(dir, { recursive: true, force: true }));
    const file = path.join(dir, 'cpu');
    await writeFile(file, 'some avg10=0.00 avg60=0.00 avg300=0.00 total=1000\n');
    const { store, monitor, since, until } = await sampled(file);
    expect(monitor.cpuSource).toBe('psi');
    expect(store.hostSamples('EventLoopDelay', since, until).length).toBeGreaterThanOrEqual(2);
    // The total never moved: no task waited for a CPU.
    const pressure = store.hostSamples('CpuPressure', since, until);
    expect(pressure.length).toBeGreaterThanOrEqual(1);
    expect(pressure.every((p) => p === 0)).toBe(true);
    expect(store.hostSamples('LoadPerCore', since, until)).toEqual([]);
  });

  it('falls back to the load average per core where PSI cannot be read', async () => {
    const { store, monitor, since, until } = await sampled('/nonexistent/pressure/cpu');
    expect(monitor.cpuSource).toBe('loadavg');
    expect(store.hostSamples('LoadPerCore', since, until).length).toBeGreaterThanOrEqual(2);
    expect(store.hostSamples('CpuPressure', since, until)).toEqual([]);
  });
});
