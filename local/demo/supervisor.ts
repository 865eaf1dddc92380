// The demo system's supervisor (an Auto Scaling group in miniature): starts N instances, registers them with the
// balancer, and replaces an instance that died `replaceAfter` after its death, as an ASG replaces a terminated one.
import type { Balancer } from './balancer.js';
import { DemoInstance } from './instance.js';

export interface SupervisorOptions {
  instances: number;
  /** delay between a death and the start of its replacement */
  replaceAfterMs: number;
  /** base service time per request in ms */
  serviceLatency?: number;
  /** how many of the first instances start with a failing /health (replacements start healthy) */
  unhealthy?: number;
}

export type SupervisorEvent =
  | { type: 'started'; id: string; pid: number; at: number }
  | { type: 'died'; id: string; pid: number; at: number; signal: string | null }
  | { type: 'replacement-failed'; at: number; message: string };

export class Supervisor {
  private readonly live = new Map<string, DemoInstance>();
  private readonly pending = new Set<NodeJS.Timeout>();
  /** launches whose process may exist but is not listening yet: stop() waits for them too */
  private readonly inflight = new Set<Promise<unknown>>();
  private readonly listeners: Array<(event: SupervisorEvent) => void> = [];
  private readonly delayListeners: Array<(id: string, p99Ms: number) => void> = [];
  private sequence = 0;
  private stopping = false;
  /** instances started to replace dead ones */
  replacements = 0;

  private constructor(
    private readonly balancer: Balancer,
    private readonly options: SupervisorOptions,
  ) {}

  /** Starts the desired number of instances in parallel and resolves once all listen. */
  static async start(balancer: Balancer, options: SupervisorOptions): Promise<Supervisor> {
    const supervisor = new Supervisor(balancer, options);
    const unhealthy = options.unhealthy ?? 0;
    const started = await Promise.allSettled(
      Array.from({ length: options.instances }, (_, i) => supervisor.launch(i < unhealthy)),
    );
    const failed = started.find((s): s is PromiseRejectedResult => s.status === 'rejected');
    if (failed) {
      await supervisor.stop();
      throw failed.reason;
    }
    return supervisor;
  }

  onEvent(listener: (event: SupervisorEvent) => void): void {
    this.listeners.push(listener);
  }

  /** Every instance's event-loop delay report (p99 ms over about a second), replacements included. */
  onEventLoopDelay(listener: (id: string, p99Ms: number) => void): void {
    this.delayListeners.push(listener);
  }

  /** Ids of the instances whose process is running, in launch order (the local:instance target pool). */
  aliveIds(): string[] {
    return [...this.live.values()].filter((i) => i.alive).map((i) => i.id);
  }

  instance(id: string): DemoInstance | undefined {
    return this.live.get(id);
  }

  pids(): number[] {
    return [...this.live.values()].filter((i) => i.alive).map((i) => i.pid);
  }

  /** Instances the balancer considers healthy. */
  healthyCount(): number {
    return this.balancer.healthyCount();
  }

  /** Stops replacing, kills every instance and waits until each process has exited. */
  async stop(): Promise<void> {
    this.stopping = true;
    for (const timer of this.pending) clearTimeout(timer);
    this.pending.clear();
    await Promise.allSettled([...this.inflight]);
    await Promise.all([...this.live.values()].map((i) => i.killAndWait()));
    this.live.clear();
  }

  /** Synchronous last resort for a process 'exit' hook, where no promise will ever settle. */
  killAllNow(): void {
    this.stopping = true;
    for (const timer of this.pending) clearTimeout(timer);
    for (const instance of this.live.values()) instance.kill();
  }

  private emit(event: SupervisorEvent): void {
    for (const listener of this.listeners) listener(event);
  }

  private async launch(unhealthy: boolean): Promise<DemoInstance> {
    this.sequence += 1;
    const starting = DemoInstance.start({
      id: `i-${this.sequence}`,
      serviceLatency: this.options.serviceLatency,
      unhealthy,
    });
    this.inflight.add(starting);
    const instance = await starting.finally(() => this.inflight.delete(starting));
    if (this.stopping) {
      await instance.killAndWait();
      return instance;
    }
    this.live.set(instance.id, instance);
    instance.onEventLoopDelay((p99Ms) => {
      for (const listener of this.delayListeners) listener(instance.id, p99Ms);
    });
    const pid = instance.pid;
    instance.onExit((_code, signal) => {
      this.live.delete(instance.id);
      // An ASG deregisters a terminated instance from its target groups.
      this.balancer.deregister(instance.id);
      this.emit({ type: 'died', id: instance.id, pid, at: Date.now(), signal });
      if (!this.stopping) this.scheduleReplacement();
    });
    this.balancer.register({ id: instance.id, port: instance.port });
    this.emit({ type: 'started', id: instance.id, pid, at: Date.now() });
    return instance;
  }

  private scheduleReplacement(): void {
    const timer = setTimeout(() => {
      this.pending.delete(timer);
      if (this.stopping) return;
      this.launch(false).then(
        (instance) => {
          if (instance.alive) this.replacements += 1;
        },
        (error: unknown) => {
          this.emit({ type: 'replacement-failed', at: Date.now(), message: String(error) });
          if (!this.stopping) this.scheduleReplacement();
        },
      );
    }, this.options.replaceAfterMs);
    this.pending.add(timer);
  }
}
