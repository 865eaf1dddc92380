// The sandbox's own health (the HostHealth port): how starved the machine doing the measuring is. Every second it
// records the sandbox process's event-loop delay and the CPU pressure on the machine in the metric store (Local/Host);
// the load generator records how late it sends. The verdict rule core/verdict/rules/host-starved.ts reads the worst
// period of each phase and decides whether the measurements describe the demo system or this machine.
import { readFile } from 'node:fs/promises';
import { availableParallelism, loadavg } from 'node:os';
import { type IntervalHistogram, monitorEventLoopDelay } from 'node:perf_hooks';
import type { HostHealth, HostMeasurement, TimeWindow } from '../../core/ports.js';
import { LATE_SEND_MS } from '../../core/verdict/rules/host-starved.js';
import type { MetricStore } from './store.js';

/** Linux pressure stall information for the CPU (https://docs.kernel.org/accounting/psi.html). */
export const CPU_PRESSURE_FILE = '/proc/pressure/cpu';

/** Cumulative microseconds in which some task waited for a CPU, from the `some … total=N` line of a PSI file. */
export function parseCpuPressureTotal(text: string): number | undefined {
  const match = /^some .*\btotal=(\d+)/m.exec(text);
  return match ? Number(match[1]) : undefined;
}

export interface HostMonitorOptions {
  /** the PSI file; a path that cannot be read switches to the load-average fallback */
  pressureFile?: string;
}

export class HostMonitor implements HostHealth {
  private readonly histogram: IntervalHistogram = monitorEventLoopDelay({ resolution: 10 });
  private timer: NodeJS.Timeout | undefined;
  private last: { at: number; stalledUs: number } | undefined;
  private pressureReadable = true;
  private sampling: Promise<void> = Promise.resolve();
  private failure: unknown;
  /** where the CPU figure comes from: PSI, or the load average where PSI cannot be read */
  cpuSource: 'psi' | 'loadavg' = 'psi';

  constructor(
    private readonly store: MetricStore,
    private readonly options: HostMonitorOptions = {},
  ) {}

  /** Samples every second, mid-second, so each sample lands inside the period it describes. */
  start(): void {
    if (this.timer) return;
    this.histogram.enable();
    const tick = () => {
      this.sampling = this.sampling
        .then(() => this.sample())
        .catch((error: unknown) => {
          this.failure ??= error; // thrown by stop(), not lost in a timer
        });
      this.timer = setTimeout(tick, 1500 - (Date.now() % 1000));
    };
    this.timer = setTimeout(tick, 1500 - (Date.now() % 1000));
  }

  async stop(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.histogram.disable();
    await this.sampling;
    if (this.failure) throw this.failure;
  }

  async measure(window: TimeWindow, periodSeconds: number): Promise<HostMeasurement> {
    const size = periodSeconds * 1000;
    const worst: HostMeasurement = { periods: 0 };
    const max = (a: number | undefined, b: number | undefined) => (b === undefined ? a : Math.max(a ?? b, b));
    for (let start = Math.floor(window.start / size) * size; start < window.end; start += size) {
      const end = start + size;
      const delays = this.store.hostSamples('EventLoopDelay', start, end);
      const lags = this.store.hostSamples('SendLag', start, end);
      const pressure = this.store.hostSamples('CpuPressure', start, end);
      const load = this.store.hostSamples('LoadPerCore', start, end);
      if (delays.length + lags.length + pressure.length + load.length === 0) continue;
      worst.periods += 1;
      worst.eventLoopDelayMs = max(worst.eventLoopDelayMs, delays.length ? Math.max(...delays) : undefined);
      worst.lateSends = max(
        worst.lateSends,
        lags.length ? lags.filter((lag) => lag > LATE_SEND_MS).length / lags.length : undefined,
      );
      worst.cpuPressure = max(worst.cpuPressure, pressure.length ? Math.max(...pressure) / 100 : undefined);
      worst.loadPerCore = max(worst.loadPerCore, load.length ? Math.max(...load) : undefined);
    }
    return worst;
  }

  private async sample(): Promise<void> {
    const now = Date.now();
    // p99 of the loop's delay since the last sample (ns → ms); a stall longer than a second lands in the sample
    // taken when the loop runs again, so the stall is never lost, at worst attributed to the next period.
    if (this.histogram.count > 0) this.store.recordHost('EventLoopDelay', now, this.histogram.percentile(99) / 1e6);
    this.histogram.reset();
    const stalledUs = this.pressureReadable ? await this.readPressure() : undefined;
    if (stalledUs === undefined) {
      this.cpuSource = 'loadavg';
      this.store.recordHost('LoadPerCore', now, loadavg()[0]! / availableParallelism());
      return;
    }
    if (this.last && now > this.last.at) {
      const share = (stalledUs - this.last.stalledUs) / ((now - this.last.at) * 1000);
      this.store.recordHost('CpuPressure', now, Math.min(100, Math.max(0, share * 100)));
    }
    this.last = { at: now, stalledUs };
  }

  /** The PSI total, or undefined (for good) where the file does not exist or cannot be read: not Linux, no PSI. */
  private async readPressure(): Promise<number | undefined> {
    let total: number | undefined;
    try {
      total = parseCpuPressureTotal(await readFile(this.options.pressureFile ?? CPU_PRESSURE_FILE, 'utf8'));
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== 'ENOENT' && code !== 'EACCES' && code !== 'EPERM' && code !== 'EOPNOTSUPP') throw error;
    }
    if (total === undefined) this.pressureReadable = false;
    return total;
  }
}
