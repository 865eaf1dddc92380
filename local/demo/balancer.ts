// The demo system's round-robin load balancer (an ALB in miniature, in-process on 127.0.0.1): active health checks
// every second, and — like a service mesh — a request whose connection failed or was reset is retried on the next
// healthy instance, while HTTP error responses are passed through untouched. It times each request as an ALB's
// TargetResponseTime: from receiving the request to the target's response headers (retries included).
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';

export interface BalancerOptions {
  /** between health checks of one target; default 1000 ms */
  healthIntervalMs?: number;
  /** a check that has not answered after this fails; default 1000 ms */
  healthTimeoutMs?: number;
  /** consecutive failed checks (timeouts, non-200) that make a healthy target unhealthy; default 2, as an ALB */
  unhealthyThreshold?: number;
  /** an upstream that has not answered after this gets a 504; default 5000 ms */
  upstreamTimeoutMs?: number;
}

export interface BackendTarget {
  id: string;
  port: number;
}

type TargetHealth = 'initial' | 'healthy' | 'unhealthy';

interface Target extends BackendTarget {
  health: TargetHealth;
  failures: number;
  checking: boolean;
}

/** Connection-level failures a mesh retries: the request never reached the service, or the service vanished mid-way. */
const RETRYABLE = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ECONNABORTED']);
/** Hop-by-hop headers (RFC 9110 §7.6.1) are not forwarded. */
const HOP_BY_HOP = ['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'upgrade', 'te', 'trailer'];

export class Balancer {
  private readonly targets = new Map<string, Target>();
  private readonly listeners: Array<(healthy: number) => void> = [];
  private readonly responseListeners: Array<(at: number, ms: number) => void> = [];
  private readonly agent = new http.Agent({ keepAlive: true, maxSockets: 256 });
  private readonly timer: NodeJS.Timeout;
  private cursor = 0;
  private lastHealthy = 0;
  private closed = false;
  /** requests forwarded again after a connection failure (for tests and the report) */
  retries = 0;

  private constructor(
    private readonly server: http.Server,
    private readonly options: Required<BalancerOptions>,
  ) {
    this.timer = setInterval(() => this.checkAll(), options.healthIntervalMs);
  }

  static async start(options: BalancerOptions = {}): Promise<Balancer> {
    const server = http.createServer();
    // Longer than any client's idle keep-alive, so the client never reuses a socket we are closing.
    server.keepAliveTimeout = 65_000;
    const balancer = new Balancer(server, {
      healthIntervalMs: options.healthIntervalMs ?? 1000,
      healthTimeoutMs: options.healthTimeoutMs ?? 1000,
      unhealthyThreshold: options.unhealthyThreshold ?? 2,
      upstreamTimeoutMs: options.upstreamTimeoutMs ?? 5000,
    });
    server.on('request', (req, res) => balancer.handle(req, res));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    return balancer;
  }

  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}/`;
  }

  /** Adds a target in the `initial` state and checks it at once, so a replacement serves as soon as it is healthy. */
  register(target: BackendTarget): void {
    this.targets.set(target.id, { ...target, health: 'initial', failures: 0, checking: false });
    this.check(target.id);
  }

  deregister(id: string): void {
    this.targets.delete(id);
    this.notify();
  }

  healthyIds(): string[] {
    return [...this.targets.values()].filter((t) => t.health === 'healthy').map((t) => t.id);
  }

  healthyCount(): number {
    return this.healthyIds().length;
  }

  /** Called with the healthy count whenever it changes. */
  onHealthChange(listener: (healthy: number) => void): void {
    this.listeners.push(listener);
  }

  /**
   * Called for every target response with its time (epoch ms) and milliseconds since the balancer received the
   * request. Answers the balancer makes itself (502/503/504) have no target response time, as in an ALB.
   */
  onTargetResponse(listener: (at: number, ms: number) => void): void {
    this.responseListeners.push(listener);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.timer);
    this.agent.destroy();
    this.server.closeAllConnections();
    await new Promise<void>((resolve, reject) => this.server.close((error) => (error ? reject(error) : resolve())));
  }

  private notify(): void {
    const healthy = this.healthyCount();
    if (healthy === this.lastHealthy) return;
    this.lastHealthy = healthy;
    for (const listener of this.listeners) listener(healthy);
  }

  private setHealth(target: Target, ok: boolean, immediate = false): void {
    if (this.targets.get(target.id) !== target) return; // deregistered meanwhile
    if (ok) {
      target.failures = 0;
      target.health = 'healthy';
    } else {
      target.failures += 1;
      if (immediate || target.health !== 'healthy' || target.failures >= this.options.unhealthyThreshold) {
        target.health = 'unhealthy';
      }
    }
    this.notify();
  }

  private checkAll(): void {
    for (const id of this.targets.keys()) this.check(id);
  }

  private check(id: string): void {
    const target = this.targets.get(id);
    if (!target || target.checking || this.closed) return;
    target.checking = true;
    let settled = false;
    const finish = (ok: boolean, immediate = false) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      target.checking = false;
      this.setHealth(target, ok, immediate);
    };
    // A fresh connection per check, as an ALB does: a check must not ride on a request's socket.
    const req = http.get({ host: '127.0.0.1', port: target.port, path: '/health', agent: false }, (res) => {
      res.resume();
      finish(res.statusCode === 200);
    });
    const timer = setTimeout(() => {
      req.destroy();
      finish(false);
    }, this.options.healthTimeoutMs);
    // A refused connection means nothing listens any more: no need to wait for a second failed check.
    req.on('error', (error: NodeJS.ErrnoException) => finish(false, error.code === 'ECONNREFUSED'));
  }

  /** The next healthy target in round-robin order that this request has not tried yet. */
  private pick(tried: Set<string>): Target | undefined {
    const healthy = [...this.targets.values()].filter((t) => t.health === 'healthy' && !tried.has(t.id));
    if (healthy.length === 0) return undefined;
    this.cursor = (this.cursor + 1) % Number.MAX_SAFE_INTEGER;
    return healthy[this.cursor % healthy.length];
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    const received = performance.now();
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    // The body is buffered so that a request can be replayed on another instance after a connection failure.
    req.on('end', () => this.forward(req, res, Buffer.concat(chunks), new Set(), received));
  }

  private forward(
    req: http.IncomingMessage,
    res: http.ServerResponse,
    body: Buffer,
    tried: Set<string>,
    received: number,
  ): void {
    const target = this.pick(tried);
    if (!target) {
      if (res.headersSent || res.destroyed) return;
      res.writeHead(tried.size ? 502 : 503, { 'content-type': 'text/plain' });
      res.end(
        tried.size ? `no instance accepted the connection (tried ${[...tried].join(', ')})` : 'no healthy instance',
      );
      return;
    }
    tried.add(target.id);
    const headers: http.OutgoingHttpHeaders = { ...req.headers, 'content-length': body.length };
    for (const name of HOP_BY_HOP) delete headers[name];
    let responded = false;
    let timedOut = false;
    const upstream = http.request({
      host: '127.0.0.1',
      port: target.port,
      method: req.method,
      path: req.url,
      headers,
      agent: this.agent,
    });
    const timer = setTimeout(() => {
      timedOut = true;
      upstream.destroy();
      if (!res.headersSent) {
        res.writeHead(504, { 'content-type': 'text/plain' });
        res.end(`instance ${target.id} did not answer within ${this.options.upstreamTimeoutMs} ms`);
      }
    }, this.options.upstreamTimeoutMs);
    res.on('close', () => {
      clearTimeout(timer);
      if (!res.writableFinished) upstream.destroy();
    });
    upstream.on('response', (answer) => {
      responded = true;
      const ms = performance.now() - received;
      for (const listener of this.responseListeners) listener(Date.now(), ms);
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
      answer.on('error', () => res.destroy());
      answer.on('end', () => clearTimeout(timer));
    });
    upstream.on('error', (error: NodeJS.ErrnoException) => {
      if (timedOut) return; // the 504 is already on its way
      if (res.headersSent || res.destroyed) {
        res.destroy();
        return;
      }
      clearTimeout(timer);
      if (!responded && error.code && RETRYABLE.has(error.code)) {
        // Passive health check (outlier detection): a refused connection marks the target unhealthy at once.
        if (error.code === 'ECONNREFUSED') this.setHealth(target, false, true);
        this.retries += 1;
        this.forward(req, res, body, tried, received);
        return;
      }
      res.writeHead(502, { 'content-type': 'text/plain' });
      res.end(`instance ${target.id}: ${error.message}`);
    });
    upstream.end(body);
  }
}
