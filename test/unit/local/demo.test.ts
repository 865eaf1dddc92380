import http from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { Balancer } from '../../../local/demo/balancer.js';
import { DemoInstance } from '../../../local/demo/instance.js';
import { Supervisor } from '../../../local/demo/supervisor.js';
import { isAlive } from '../../../local/files/pids.js';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function instance(id: string, options: { unhealthy?: boolean } = {}): Promise<DemoInstance> {
  const started = await DemoInstance.start({ id, ...options });
  cleanups.push(() => started.killAndWait());
  return started;
}

async function balancer(): Promise<Balancer> {
  const started = await Balancer.start();
  cleanups.push(() => started.close());
  return started;
}

function get(url: string, agent?: http.Agent): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { agent }, (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          body += chunk;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      })
      .on('error', reject);
  });
}

async function until(condition: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('demo instance', () => {
  it('answers 200 after its service time and applies and removes injected latency and errors', async () => {
    const i = await instance('i-1');
    const url = `http://127.0.0.1:${i.port}/`;
    expect((await get(url)).status).toBe(200);
    await i.setLatency({ delayMilliseconds: 150, percent: 100 });
    const began = Date.now();
    expect((await get(url)).status).toBe(200);
    expect(Date.now() - began).toBeGreaterThanOrEqual(150);
    await i.setErrors({ status: 503, percent: 100 });
    expect((await get(url)).status).toBe(503);
    await i.clearErrors();
    await i.clearLatency();
    const again = Date.now();
    expect((await get(url)).status).toBe(200);
    expect(Date.now() - again).toBeLessThan(150);
    await expect(i.setLatency({ delayMilliseconds: -1, percent: 100 })).rejects.toThrow(/delayMilliseconds/);
  });

  it('reports its event-loop delay to the sandbox about every second', async () => {
    const i = await instance('i-1');
    const reports: number[] = [];
    i.onEventLoopDelay((p99Ms) => reports.push(p99Ms));
    await until(() => reports.length >= 1, 3000);
    expect(reports[0]).toBeGreaterThan(0);
    expect(reports[0]).toBeLessThan(10_000);
  });

  it('fails /health when started unhealthy', async () => {
    const i = await instance('i-1', { unhealthy: true });
    expect((await get(`http://127.0.0.1:${i.port}/health`)).status).toBe(503);
    expect((await get(`http://127.0.0.1:${i.port}/`)).status).toBe(200);
  });
});

describe('balancer', () => {
  it('spreads requests round-robin over the healthy instances and never sends to an unhealthy one', async () => {
    const lb = await balancer();
    const a = await instance('i-a');
    const b = await instance('i-b');
    const sick = await instance('i-sick', { unhealthy: true });
    for (const i of [a, b, sick]) lb.register({ id: i.id, port: i.port });
    await until(() => lb.healthyCount() === 2, 2000);
    const bodies = await Promise.all(Array.from({ length: 10 }, () => get(lb.url).then((r) => r.body)));
    expect(bodies.filter((b) => b.endsWith('i-a'))).toHaveLength(5);
    expect(bodies.filter((b) => b.endsWith('i-b'))).toHaveLength(5);
    expect(lb.healthyIds().sort()).toEqual(['i-a', 'i-b']);
  });

  it("retries a killed instance's connection on the next instance, so clients see no error", async () => {
    const lb = await balancer();
    const slow = await instance('i-slow');
    const fast = await instance('i-fast');
    lb.register({ id: slow.id, port: slow.port });
    lb.register({ id: fast.id, port: fast.port });
    await until(() => lb.healthyCount() === 2, 2000);
    await slow.setLatency({ delayMilliseconds: 300, percent: 100 });
    // Requests in flight on the slow instance when it is SIGKILLed have their connection reset mid-way.
    const inflight = Array.from({ length: 6 }, () => get(lb.url));
    await new Promise((resolve) => setTimeout(resolve, 100));
    slow.kill();
    // …and, until the balancer notices, new connections to it are refused.
    const after = Array.from({ length: 6 }, () => get(lb.url));
    const answers = await Promise.all([...inflight, ...after]);
    expect(answers.map((a) => a.status)).toEqual(Array(12).fill(200));
    expect(answers.every((a) => a.body === 'ok from i-fast')).toBe(true);
    expect(lb.retries).toBeGreaterThanOrEqual(3);
    await until(() => lb.healthyCount() === 1, 2000);
  });

  it('passes HTTP 500 responses through without retrying them', async () => {
    const lb = await balancer();
    const broken = await instance('i-broken');
    const fine = await instance('i-fine');
    lb.register({ id: broken.id, port: broken.port });
    lb.register({ id: fine.id, port: fine.port });
    await until(() => lb.healthyCount() === 2, 2000);
    await broken.setErrors({ status: 500, percent: 100 });
    const answers = await Promise.all(Array.from({ length: 10 }, () => get(lb.url)));
    expect(answers.filter((a) => a.status === 500)).toHaveLength(5);
    expect(answers.filter((a) => a.status === 500).every((a) => a.body === 'injected error from i-broken')).toBe(true);
    expect(lb.retries).toBe(0);
    // The instance's /health still answers 200: an application error is not a dead instance.
    expect(lb.healthyCount()).toBe(2);
  });

  it('answers 503 when no instance is healthy', async () => {
    const lb = await balancer();
    const timed: number[] = [];
    lb.onTargetResponse((_at, ms) => timed.push(ms));
    expect((await get(lb.url)).status).toBe(503);
    // The balancer's own answer has no target response time, as in an ALB.
    expect(timed).toEqual([]);
  });

  it('times each request from receipt to the target response, as TargetResponseTime, retries included', async () => {
    const lb = await balancer();
    const slow = await instance('i-slow');
    lb.register({ id: slow.id, port: slow.port });
    await until(() => lb.healthyCount() === 1, 2000);
    const timed: Array<{ at: number; ms: number }> = [];
    lb.onTargetResponse((at, ms) => timed.push({ at, ms }));
    await slow.setLatency({ delayMilliseconds: 200, percent: 100 });
    const before = Date.now();
    expect((await get(lb.url)).status).toBe(200);
    expect(timed).toHaveLength(1);
    expect(timed[0]!.ms).toBeGreaterThanOrEqual(200);
    expect(timed[0]!.at).toBeGreaterThanOrEqual(before);
  });
});

describe('supervisor', () => {
  it('replaces a dead instance after replaceAfter, not before', async () => {
    const lb = await balancer();
    const supervisor = await Supervisor.start(lb, { instances: 2, replaceAfterMs: 600 });
    cleanups.push(() => supervisor.stop());
    await until(() => supervisor.healthyCount() === 2, 2000);
    const [victim] = supervisor.aliveIds();
    const victimPid = supervisor.instance(victim!)!.pid;
    const diedAt = Date.now();
    supervisor.instance(victim!)!.kill();
    await until(() => supervisor.healthyCount() === 1, 2000);
    expect(supervisor.aliveIds()).not.toContain(victim);
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(supervisor.aliveIds()).toHaveLength(1);
    await until(() => supervisor.healthyCount() === 2, 3000);
    expect(Date.now() - diedAt).toBeGreaterThanOrEqual(600);
    expect(supervisor.aliveIds()).toHaveLength(2);
    expect(supervisor.aliveIds()).toContain('i-3');
    expect(supervisor.replacements).toBe(1);
    expect(isAlive(victimPid)).toBe(false);
  });

  it('leaves no instance process alive after stop()', async () => {
    const lb = await balancer();
    const supervisor = await Supervisor.start(lb, { instances: 3, replaceAfterMs: 50 });
    const pids = supervisor.pids();
    expect(pids).toHaveLength(3);
    supervisor.instance(supervisor.aliveIds()[0]!)!.kill(); // a replacement is pending when we stop
    await supervisor.stop();
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(pids.filter(isAlive)).toEqual([]);
    expect(supervisor.pids()).toEqual([]);
  });
});
