// The sandbox's traffic: an open-loop load generator at a steady `rps` through the balancer, recording every
// request's outcome as a client sees it in the metric store (Requests; 5xx, timeouts and connection errors count as
// Errors) and how late each was sent against its intended time (Local/Host SendLag). Latency is timed by the balancer,
// where an ALB measures TargetResponseTime: this client's own event loop may be late to see an answer.
import http from 'node:http';
import { performance } from 'node:perf_hooks';
import type { MetricStore } from '../metrics/store.js';

export interface LoadOptions {
  url: string;
  rps: number;
  store: MetricStore;
  /** a request with no answer after this is abandoned and counted as an error; default 5000 ms */
  timeoutMs?: number;
}

export class LoadGenerator {
  private readonly agent = new http.Agent({ keepAlive: true, maxSockets: 512, timeout: 30_000 });
  private readonly inflight = new Set<http.ClientRequest>();
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;
  private issued = 0;
  private readonly startedAt = performance.now();
  sent = 0;
  failed = 0;

  private constructor(private readonly options: Required<LoadOptions>) {}

  static start(options: LoadOptions): LoadGenerator {
    if (!(options.rps > 0)) throw new RangeError(`rps must be > 0, got ${options.rps}`);
    const generator = new LoadGenerator({ timeoutMs: 5000, ...options });
    options.store.open();
    generator.tick();
    return generator;
  }

  /** Stops sending, abandons requests in flight without recording them, and closes the pooled sockets. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    for (const req of this.inflight) req.destroy();
    this.inflight.clear();
    this.agent.destroy();
  }

  /**
   * Open loop: request k is due at k / rps seconds after the start whatever happened to earlier ones, so a slow
   * system sees the same arrival rate (a closed loop would hide latency by sending less).
   */
  private tick(): void {
    if (this.stopped) return;
    const interval = 1000 / this.options.rps;
    const elapsed = performance.now() - this.startedAt;
    while (this.issued * interval <= elapsed) {
      // How long after its due time request k goes out: 0 on an idle machine, the event loop's stall when starved.
      this.options.store.recordHost('SendLag', Date.now(), elapsed - this.issued * interval);
      this.issued += 1;
      this.send();
    }
    this.timer = setTimeout(() => this.tick(), Math.max(1, this.issued * interval - elapsed));
  }

  private send(): void {
    let done = false;
    const finish = (failed: boolean) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      this.inflight.delete(req);
      if (this.stopped) return;
      if (failed) this.failed += 1;
      this.options.store.recordRequest(Date.now(), failed);
    };
    this.sent += 1;
    const req = http.get(this.options.url, { agent: this.agent }, (res) => {
      res.resume();
      res.on('end', () => finish((res.statusCode ?? 500) >= 500));
      res.on('error', () => finish(true));
    });
    this.inflight.add(req);
    const timer = setTimeout(() => {
      finish(true);
      req.destroy();
    }, this.options.timeoutMs);
    req.on('error', () => finish(true));
  }
}
