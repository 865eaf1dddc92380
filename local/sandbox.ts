// The embedded sandbox (DESIGN §8): the demo system (instances, balancer, supervisor), its traffic, the local metric
// store, alarms and fault injector, and the file-based kill switch, ledger and result store — started together for
// one local experiment and always stopped together, every child process included.
import { randomBytes } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { durationSeconds } from '../core/duration.js';
import type { Experiment } from '../core/experiment/schema.js';
import { LocalAlarms } from './alarms.js';
import { Balancer } from './demo/balancer.js';
import { INSTANCE_SCRIPT } from './demo/instance.js';
import { LoadGenerator } from './demo/load.js';
import { Supervisor } from './demo/supervisor.js';
import { LocalFaultInjector } from './faults/injector.js';
import { FileKillSwitch } from './files/kill-switch.js';
import { FileRunLedger } from './files/ledger.js';
import { DEFAULT_BASE_DIR } from './files/paths.js';
import { cleanupStale, removePidFile, type StaleCleanup, writePidFile } from './files/pids.js';
import { FileResultStore } from './files/results.js';
import { HostMonitor } from './metrics/host.js';
import { MetricStore } from './metrics/store.js';

/** The experiment has no `local` block, so there is no demo system to build. */
export class NotLocalError extends Error {
  override readonly name = 'Shaketable.NotLocal';
}

/** The metric store or the alarms did not have the data the baseline needs in time. */
export class SandboxNotWarmError extends Error {
  override readonly name = 'Shaketable.SandboxNotWarm';
}

export interface SandboxOptions {
  /** where the kill switch, ledger, results and pid file live; default `.shaketable` */
  baseDir?: string;
  /** [0, 1) random source for fault target selection */
  random?: () => number;
}

export interface Sandbox {
  experiment: Experiment;
  baseDir: string;
  metrics: MetricStore;
  alarms: LocalAlarms;
  faults: LocalFaultInjector;
  killSwitch: FileKillSwitch;
  ledger: FileRunLedger;
  results: FileResultStore;
  balancer: Balancer;
  supervisor: Supervisor;
  load: LoadGenerator;
  /** the sandbox's own health (event-loop delay, late sends, CPU pressure), for the host-starved verdict rule */
  host: HostMonitor;
  /** milliseconds from startSandbox() to traffic flowing */
  startupMs: number;
  /** what the start found of earlier sandboxes in this folder: instances killed, bad pid files moved aside */
  staleCleanup: StaleCleanup;
  /**
   * Resolves once the store holds `baselineSeconds` of complete data (plus one period, for alignment) and every local
   * alarm has left INSUFFICIENT_DATA; throws SandboxNotWarmError after `timeoutMs` (default baseline + 20 s).
   */
  waitUntilWarm(baselineSeconds: number, timeoutMs?: number): Promise<void>;
  /** Stops the fault, traffic, alarms, every instance (waiting for each exit) and the balancer. Idempotent. */
  stop(): Promise<void>;
  /** Synchronous SIGKILL of every instance, for a process 'exit' hook where promises never settle. */
  killNow(): void;
}

/** Default delay before the supervisor replaces a dead instance when `local.replaceAfter` is not set. */
export const DEFAULT_REPLACE_AFTER = 'PT5S';

export async function startSandbox(experiment: Experiment, options: SandboxOptions = {}): Promise<Sandbox> {
  const began = Date.now();
  const local = experiment.local;
  if (!local) throw new NotLocalError(`${experiment.name}: the local sandbox needs a \`local\` block (instances, rps)`);
  const baseDir = path.resolve(options.baseDir ?? DEFAULT_BASE_DIR);
  await mkdir(baseDir, { recursive: true });
  const staleCleanup = await cleanupStale(baseDir, INSTANCE_SCRIPT);

  const metrics = new MetricStore();
  const alarms = new LocalAlarms(experiment, metrics);
  const balancer = await Balancer.start();
  // Latency is timed at the balancer, as an ALB's TargetResponseTime; the load generator counts what clients see.
  balancer.onTargetResponse((at, ms) => metrics.recordLatency(at, ms));
  let supervisor: Supervisor;
  try {
    supervisor = await Supervisor.start(balancer, {
      instances: local.instances,
      replaceAfterMs: durationSeconds(local.replaceAfter ?? DEFAULT_REPLACE_AFTER) * 1000,
      serviceLatency: local.serviceLatency,
      unhealthy: local.unhealthy,
    });
  } catch (error) {
    await balancer.close();
    throw error;
  }
  // The pid file names every live instance, so that a later start can kill what a killed run left behind.
  const pidFile = { owner: process.pid, marker: INSTANCE_SCRIPT, children: supervisor.pids() };
  let pidWrites: Promise<void> = Promise.resolve();
  const savePids = () => {
    pidFile.children = supervisor.pids();
    pidWrites = pidWrites.then(() => writePidFile(baseDir, pidFile));
    return pidWrites;
  };
  supervisor.onEvent((event) => {
    // A failed write is not lost: pidWrites stays rejected and stop() reports it.
    if (event.type !== 'replacement-failed') savePids().then(undefined, () => undefined);
  });
  try {
    await savePids();
  } catch (error) {
    await supervisor.stop();
    await balancer.close();
    throw error;
  }

  // Traffic starts once the expected instances passed their first health check, so no baseline opens on 0 healthy.
  // If they do not within 3 s, traffic starts anyway: the baseline will then show the system as it is.
  const expectedHealthy = local.instances - Math.min(local.unhealthy ?? 0, local.instances);
  await until(() => balancer.healthyCount() >= expectedHealthy, 3000);
  const sampler = sampleHealthy(balancer, metrics);
  const host = new HostMonitor(metrics);
  host.start();
  // The instances run on the same host: their event loops starve with it, and every answer waits for them.
  supervisor.onEventLoopDelay((_id, p99Ms) => metrics.recordHost('EventLoopDelay', Date.now(), p99Ms));
  const load = LoadGenerator.start({ url: balancer.url, rps: local.rps, store: metrics });
  alarms.start();
  const faults = new LocalFaultInjector({ supervisor, alarms, random: options.random });
  const periodSeconds = durationSeconds(experiment.steadyState.period);
  const killSwitch = new FileKillSwitch(baseDir);
  const haltWatch = watchKillSwitch(killSwitch, faults);

  let stopping: Promise<void> | undefined;
  const stop = () => {
    stopping ??= (async () => {
      const failures: unknown[] = [];
      const attempt = async (step: () => unknown) => {
        try {
          await step();
        } catch (error) {
          failures.push(error);
        }
      };
      await attempt(() => haltWatch.stop());
      await attempt(() => faults.stopAll());
      await attempt(() => load.stop());
      await attempt(() => alarms.stop());
      await attempt(() => sampler.stop());
      await attempt(() => host.stop());
      await attempt(() => supervisor.stop());
      await attempt(() => balancer.close());
      await attempt(() => pidWrites);
      await attempt(() => removePidFile(baseDir));
      if (failures.length) throw new AggregateError(failures, `sandbox stop: ${failures.length} step(s) failed`);
    })();
    return stopping;
  };

  return {
    experiment,
    baseDir,
    metrics,
    alarms,
    faults,
    killSwitch,
    ledger: new FileRunLedger(baseDir),
    results: new FileResultStore(baseDir),
    balancer,
    supervisor,
    load,
    host,
    startupMs: Date.now() - began,
    staleCleanup,
    async waitUntilWarm(baselineSeconds: number, timeoutMs = baselineSeconds * 1000 + 20_000) {
      const needed = baselineSeconds + periodSeconds;
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        if (alarms.lastError) throw alarms.lastError;
        const have = metrics.completeSeconds();
        if (have >= needed && alarms.allHaveData()) return;
        if (Date.now() > deadline) {
          const waiting = (await alarms.getStates(alarms.names())).filter((s) => s.state === 'INSUFFICIENT_DATA');
          throw new SandboxNotWarmError(
            `after ${timeoutMs} ms the store holds ${have} s of data (needs ${needed} s)` +
              (waiting.length ? ` and alarms ${waiting.map((s) => s.name).join(', ')} have no data` : ''),
          );
        }
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    },
    stop,
    killNow: () => supervisor.killAllNow(),
  };
}

export interface ProcessGuardOptions {
  /** runs first on SIGINT/SIGTERM (e.g. record the run as interrupted); the sandbox is stopped afterwards */
  onSignal?: (signal: NodeJS.Signals) => Promise<void> | void;
  /** exit after a signal with 128 + its number (130 for SIGINT, 143 for SIGTERM); default true */
  exit?: boolean;
}

/**
 * Hooks for the runner: on SIGINT/SIGTERM run `onSignal`, stop the sandbox and exit; on process 'exit' (any path,
 * including process.exit from elsewhere) SIGKILL the instances synchronously. Returns a function that removes them.
 */
export function guardProcess(sandbox: Sandbox, options: ProcessGuardOptions = {}): () => void {
  let handling = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (handling) return; // a second Ctrl-C while stopping: the exit hook still kills the instances
    handling = true;
    const code = signal === 'SIGINT' ? 130 : 143;
    void (async () => {
      try {
        await options.onSignal?.(signal);
      } finally {
        await sandbox.stop().finally(() => {
          if (options.exit !== false) process.exit(code);
        });
      }
    })();
  };
  const onExit = () => sandbox.killNow();
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  process.on('exit', onExit);
  return () => {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    process.off('exit', onExit);
  };
}

/** How often the sandbox looks at the kill-switch file. */
export const KILL_SWITCH_POLL_MS = 250;

/**
 * `shaketable halt --local` runs in another process than the sandbox, so it cannot call the injector: it writes the
 * stop cause to the ledger and turns the kill switch on, and the sandbox, polling the file, stops its running fault —
 * as `halt` calls StopExperiment in AWS. Polling, not fs.watch, because fs.watch misses renames on some platforms.
 */
function watchKillSwitch(killSwitch: FileKillSwitch, faults: LocalFaultInjector): { stop(): Promise<void> } {
  let halting: Promise<void> = Promise.resolve();
  let failure: unknown;
  const timer = setInterval(() => {
    halting = halting.then(async () => {
      try {
        const state = await killSwitch.get();
        if (state.on) await faults.stopAll(`kill switch on${state.reason ? `: ${state.reason}` : ''}`);
      } catch (error) {
        failure ??= error; // reported by stop(), not lost in a timer
      }
    });
  }, KILL_SWITCH_POLL_MS);
  return {
    async stop() {
      clearInterval(timer);
      await halting;
      if (failure) throw failure;
    },
  };
}

/** Samples the healthy count every second (mid-second) and at every change, so Minimum sees even a short dip. */
function sampleHealthy(balancer: Balancer, metrics: MetricStore): { stop(): void } {
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  const tick = () => {
    if (stopped) return;
    metrics.recordHealthy(Date.now(), balancer.healthyCount());
    timer = setTimeout(tick, 1500 - (Date.now() % 1000));
  };
  balancer.onHealthChange((healthy) => {
    if (!stopped) metrics.recordHealthy(Date.now(), healthy);
  });
  tick();
  return {
    stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
    },
  };
}

async function until(condition: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return true;
}

/** A fresh id for a local run, in the execution-name alphabet. */
export function newLocalRunId(experiment: string): string {
  return `${experiment}-${new Date()
    .toISOString()
    .replace(/[-:.TZ]/g, '')
    .slice(0, 14)}-${randomBytes(3).toString('hex')}`;
}
