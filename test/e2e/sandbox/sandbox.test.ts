// The sandbox end to end below the runner: real instances, balancer, traffic, metrics, alarms and local faults.
import { readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Experiment } from '../../../core/experiment/schema.js';
import { queriesFor } from '../../../local/alarms.js';
import { FileKillSwitch } from '../../../local/files/kill-switch.js';
import { isAlive, pidFilePath } from '../../../local/files/pids.js';
import { KILL_SWITCH_POLL_MS, type Sandbox, startSandbox } from '../../../local/sandbox.js';
import { localExperiment } from '../../unit/local/fixtures.js';

let base: string;
let sandbox: Sandbox | undefined;
beforeEach(async () => {
  base = await mkdtemp(path.join(tmpdir(), 'shaketable-sandbox-'));
});
afterEach(async () => {
  await sandbox?.stop();
  sandbox = undefined;
  await rm(base, { recursive: true, force: true });
});

async function start(experiment: Experiment): Promise<Sandbox> {
  sandbox = await startSandbox(experiment, { baseDir: base });
  await sandbox.waitUntilWarm(2);
  return sandbox;
}

/** Values of one probe per period over [start, end), waiting until the last period is complete. */
async function probe(sb: Sandbox, name: string, start: number, end: number): Promise<number[]> {
  const wait = end + 100 - Date.now();
  if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
  const series = await sb.metrics.getSeries(queriesFor(sb.experiment, [name]), { start, end }, 1);
  return (series[name] ?? []).map(([, v]) => v);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The second-long period starting one whole second after `t`: requests slowed by a fault that ended at `t` complete
 * (and are recorded) within the second after it, so this period shows the system after the fault.
 */
function secondAfter(t: number): [number, number] {
  const start = Math.ceil(t / 1000) * 1000 + 1000;
  return [start, start + 1000];
}

describe('local faults', () => {
  it('terminate kills the chosen instance at once, healthy instances dip and the supervisor heals it without errors', async () => {
    const sb = await start(localExperiment({ local: { replaceAfter: 'PT1S' } }));
    const lastWholeSecond = Math.floor(Date.now() / 1000) * 1000;
    expect(await probe(sb, 'healthy', lastWholeSecond - 2000, lastWholeSecond)).toEqual([3, 3]);
    const pools = await Promise.all(
      Object.entries(sb.experiment.fault.template!.targets).map(([name, target]) => sb.faults.resolve(name, target)),
    );
    expect(pools).toEqual([
      { target: 'web', resourceType: 'local:instance', eligible: sb.supervisor.aliveIds(), selectionMode: 'COUNT(1)' },
    ]);
    const started = await sb.faults.start({ runId: 'run-terminate', experiment: sb.experiment });
    expect(started.status).toBe('initiating');
    const ended = await sb.faults.waitForEnd(started.experimentId);
    expect(ended.status).toBe('completed');
    expect(ended.targets).toHaveLength(1);
    expect(sb.supervisor.aliveIds()).not.toContain(ended.targets![0]);
    // observe PT2S keeps the experiment running after the instant kill, as the aws:fis:wait action does.
    expect(ended.endTime! - ended.startTime!).toBeGreaterThanOrEqual(2000);
    await sleep(1500);
    const healthy = await probe(sb, 'healthy', started.startTime!, Date.now());
    expect(Math.min(...healthy)).toBe(2);
    expect(healthy.at(-1)).toBe(3);
    expect(await probe(sb, 'errors', started.startTime!, Date.now())).toEqual(healthy.map(() => 0));
    expect(sb.supervisor.replacements).toBe(1);
  });

  it('network latency slows the chosen instances for its duration, then is undone', async () => {
    const sb = await start(
      localExperiment({
        fault: {
          template: {
            targets: { web: { resourceType: 'local:instance', selectionMode: 'ALL' } },
            actions: {
              slow: {
                actionId: 'local:network:latency',
                parameters: { delayMilliseconds: '200', percent: '100', duration: 'PT2S' },
                targets: { Instances: 'web' },
              },
            },
          },
          observe: 'PT2S',
        },
      }),
    );
    const before = Date.now();
    const started = await sb.faults.start({ runId: 'run-latency', experiment: sb.experiment });
    const ended = await sb.faults.waitForEnd(started.experimentId);
    expect(ended.status).toBe('completed');
    expect(ended.targets).toHaveLength(3);
    const lastWholeSecond = Math.floor(before / 1000) * 1000;
    const baseline = await probe(sb, 'latency_p99', lastWholeSecond - 2000, lastWholeSecond);
    expect(baseline).toHaveLength(2);
    expect(Math.max(...baseline)).toBeLessThan(150);
    // The whole seconds inside the fault: every request waited the injected 200 ms.
    const faultStart = Math.ceil(started.startTime! / 1000) * 1000 + 1000;
    const during = await probe(sb, 'latency_p99', faultStart, faultStart + 1000);
    expect(during[0]).toBeGreaterThanOrEqual(200);
    const after = await probe(sb, 'latency_p99', ...secondAfter(ended.endTime!));
    expect(after).toHaveLength(1);
    expect(after[0]).toBeLessThan(150);
  });

  it('HTTP errors make the chosen instance answer 5xx, counted as Errors, until the action ends', async () => {
    const sb = await start(
      localExperiment({
        fault: {
          template: {
            targets: { web: { resourceType: 'local:instance', selectionMode: 'COUNT(1)' } },
            actions: {
              fail: {
                actionId: 'local:http:errors',
                parameters: { status: 503, percent: 100, duration: 'PT2S' },
                targets: { Instances: 'web' },
              },
            },
          },
          observe: 'PT2S',
        },
      }),
    );
    const started = await sb.faults.start({ runId: 'run-errors', experiment: sb.experiment });
    const ended = await sb.faults.waitForEnd(started.experimentId);
    expect(ended.status).toBe('completed');
    const faultStart = Math.ceil(started.startTime! / 1000) * 1000;
    const during = await probe(sb, 'errors', faultStart, faultStart + 1000);
    // One instance in three fails everything at 40 rps: about 13 errors a second.
    expect(during[0]).toBeGreaterThanOrEqual(8);
    const rate = await probe(sb, 'error_rate', faultStart, faultStart + 1000);
    expect(rate[0]).toBeGreaterThan(20);
    expect(await probe(sb, 'errors', ...secondAfter(ended.endTime!))).toEqual([0]);
  });
});

describe('stop conditions and stops', () => {
  const burst = (stopConditions: string[], extra: Partial<Parameters<typeof localExperiment>[0]> = {}) =>
    localExperiment({
      local: { alarms: { error_burst: { probe: 'errors', max: 5, for: 2 } } },
      fault: {
        template: {
          targets: { web: { resourceType: 'local:instance', selectionMode: 'ALL' } },
          actions: {
            fail: {
              actionId: 'local:http:errors',
              parameters: { status: 500, percent: 100, duration: 'PT20S' },
              targets: { Instances: 'web' },
            },
          },
          stopConditions,
        },
        observe: 'PT20S',
      },
      ...extra,
    });

  it('a stop-condition alarm going to ALARM stops the fault with status stopped, naming the alarm, and undoes it', async () => {
    const sb = await start(burst(['error_burst']));
    expect((await sb.alarms.getStates(['error_burst']))[0]!.state).toBe('OK');
    const started = await sb.faults.start({ runId: 'run-burst', experiment: sb.experiment });
    const ended = await sb.faults.waitForEnd(started.experimentId);
    expect(ended.status).toBe('stopped');
    expect(ended.reason).toMatch(/^stop condition error_burst is in ALARM/);
    // Two periods above 5 and one evaluation: well before the 20 s the fault would last.
    expect(ended.endTime! - ended.startTime!).toBeLessThan(5000);
    const transitions = await sb.alarms.alarmTransitions(['error_burst'], {
      start: started.startTime!,
      end: ended.endTime! + 1,
    });
    expect(transitions).toHaveLength(1);
    expect(await probe(sb, 'errors', ...secondAfter(ended.endTime!))).toEqual([0]);
  });

  it('an alarm compiled from abortWhen is a stop condition too', async () => {
    const sb = await start(burst([], { guardrails: { abortWhen: { errors: { max: 5, for: 1 } } } }));
    const started = await sb.faults.start({ runId: 'run-abort', experiment: sb.experiment });
    const ended = await sb.faults.waitForEnd(started.experimentId);
    expect(ended.status).toBe('stopped');
    expect(ended.reason).toMatch(/^stop condition local-test-abort-errors is in ALARM/);
  });

  it('stop() by an operator ends the fault as stopped and removes its effect', async () => {
    const sb = await start(burst([]));
    const started = await sb.faults.start({ runId: 'run-halt', experiment: sb.experiment });
    await sleep(1500);
    expect((await sb.faults.get(started.experimentId)).status).toBe('running');
    const stopped = await sb.faults.stop(started.experimentId, 'halted by test');
    expect(stopped).toMatchObject({ status: 'stopped', reason: 'halted by test' });
    expect(await sb.faults.waitForEnd(started.experimentId)).toMatchObject({ status: 'stopped' });
    expect(await probe(sb, 'errors', ...secondAfter(stopped.endTime!))).toEqual([0]);
    expect((await sb.faults.findByRun('run-halt'))?.experimentId).toBe(started.experimentId);
    expect(await sb.faults.findByRun('run-other')).toBeUndefined();
    // Starting again with the same run id (FIS clientToken) returns the same experiment, not a second fault.
    expect((await sb.faults.start({ runId: 'run-halt', experiment: sb.experiment })).experimentId).toBe(
      started.experimentId,
    );
  });

  it('the kill switch turned on by another process (halt --local) stops the running fault', async () => {
    const sb = await start(burst([]));
    const started = await sb.faults.start({ runId: 'run-switch', experiment: sb.experiment });
    await sleep(500);
    const cli = new FileKillSwitch(base); // what `shaketable halt --local` writes, from its own process
    const flippedAt = Date.now();
    await cli.set(true, 'incident 7');
    const ended = await sb.faults.waitForEnd(started.experimentId);
    expect(ended).toMatchObject({ status: 'stopped', reason: 'kill switch on: incident 7' });
    expect(ended.endTime! - flippedAt).toBeLessThan(KILL_SWITCH_POLL_MS + 500);
  });

  it('fails an experiment whose action is not a local action, injecting nothing', async () => {
    const sb = await startSandbox(
      localExperiment({
        fault: {
          template: {
            targets: { web: { resourceType: 'local:instance', selectionMode: 'ALL' } },
            actions: { cpu: { actionId: 'local:cpu:stress', targets: { Instances: 'web' } } },
          },
        },
      }),
      { baseDir: base },
    );
    sandbox = sb;
    const started = await sb.faults.start({ runId: 'run-bad', experiment: sb.experiment });
    const ended = await sb.faults.waitForEnd(started.experimentId);
    expect(ended.status).toBe('failed');
    expect(ended.reason).toMatch(/local:cpu:stress is not a local action/);
    expect(sb.supervisor.aliveIds()).toHaveLength(3);
  });
});

describe('sandbox lifecycle', () => {
  it('starts fast, warms up with every alarm out of INSUFFICIENT_DATA, and leaves no child process after stop()', async () => {
    const rss: number[] = [];
    const childRss = (pid: number) => {
      const status = readFileSync(`/proc/${pid}/status`, 'utf8');
      return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) * 1024;
    };
    const began = Date.now();
    const sb = await startSandbox(
      localExperiment({ local: { alarms: { error_burst: { probe: 'errors', max: 5 } } } }),
      {
        baseDir: base,
      },
    );
    sandbox = sb;
    const startupMs = Date.now() - began;
    const sampler = setInterval(() => {
      rss.push(process.memoryUsage().rss + sb.supervisor.pids().reduce((sum, pid) => sum + childRss(pid), 0));
    }, 200);
    try {
      await sb.waitUntilWarm(2);
      const warmMs = Date.now() - began;
      expect(sb.alarms.allHaveData()).toBe(true);
      expect(sb.metrics.completeSeconds()).toBeGreaterThanOrEqual(3);
      const pids = sb.supervisor.pids();
      expect(pids).toHaveLength(3);
      expect(JSON.parse(await readFile(pidFilePath(base), 'utf8')).children.sort()).toEqual([...pids].sort());
      const stopBegan = Date.now();
      await sb.stop();
      const stopMs = Date.now() - stopBegan;
      expect(pids.filter(isAlive)).toEqual([]);
      await expect(readFile(pidFilePath(base))).rejects.toThrow(/ENOENT/);
      console.info(
        `sandbox figures: startup ${startupMs} ms (instances listening and healthy, traffic flowing), warm after ${warmMs} ms ` +
          `for a 2 s baseline, stop ${stopMs} ms, peak RSS ${Math.round(Math.max(...rss) / 2 ** 20)} MiB ` +
          '(this process, vitest included, + 3 instances)',
      );
      expect(startupMs).toBeLessThan(5000);
    } finally {
      clearInterval(sampler);
    }
  });
});
