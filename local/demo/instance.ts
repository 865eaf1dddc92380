// A demo service instance as a child process (local/demo/instance.mjs on 127.0.0.1, an ephemeral port), with the
// control calls the local faults use. Killing an instance is a SIGKILL, as an EC2 termination gives no warning.
import { type ChildProcess, spawn } from 'node:child_process';
import http from 'node:http';
import { fileURLToPath } from 'node:url';

export const INSTANCE_SCRIPT = fileURLToPath(new URL('./instance.mjs', import.meta.url));

/** An instance did not start listening in time or exited before it did. */
export class InstanceStartError extends Error {
  override readonly name = 'Shaketable.InstanceStartFailed';
}

/** A control call to an instance (/__fault/*) was refused or could not reach it. */
export class InstanceControlError extends Error {
  override readonly name = 'Shaketable.InstanceControlFailed';
}

export interface InstanceOptions {
  id: string;
  /** base service time per request in ms (jitter ±20 %); default 5 */
  serviceLatency?: number;
  /** start with a failing /health (a bad deploy, for the unhealthy-baseline demo) */
  unhealthy?: boolean;
  /** how long to wait for the instance to listen; default 5000 ms */
  startTimeoutMs?: number;
}

export type LatencyFault = { delayMilliseconds: number; percent: number };
export type ErrorFault = { status: number; percent: number };

export class DemoInstance {
  private exited = false;
  private readonly exitListeners: Array<(code: number | null, signal: NodeJS.Signals | null) => void> = [];

  private constructor(
    readonly id: string,
    readonly port: number,
    private readonly child: ChildProcess,
  ) {
    child.on('exit', (code, signal) => {
      this.exited = true;
      for (const listener of this.exitListeners) listener(code, signal);
    });
  }

  get pid(): number {
    if (this.child.pid === undefined) throw new InstanceStartError(`instance ${this.id} has no pid`);
    return this.child.pid;
  }

  get alive(): boolean {
    return !this.exited;
  }

  /** Spawns the instance and resolves once it listens. */
  static start(options: InstanceOptions): Promise<DemoInstance> {
    const child = spawn(process.execPath, [INSTANCE_SCRIPT], {
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
      env: {
        PATH: process.env.PATH ?? '',
        SHAKETABLE_INSTANCE_ID: options.id,
        SHAKETABLE_SERVICE_MS: String(options.serviceLatency ?? 5),
        SHAKETABLE_UNHEALTHY: options.unhealthy ? '1' : '0',
      },
    });
    let stderr = '';
    child.stderr?.setEncoding('utf8');
    child.stderr?.on('data', (chunk: string) => {
      stderr = (stderr + chunk).slice(-2000);
    });
    return new Promise<DemoInstance>((resolve, reject) => {
      const timeout = options.startTimeoutMs ?? 5000;
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        reject(new InstanceStartError(`instance ${options.id} did not listen within ${timeout} ms; stderr: ${stderr}`));
      }, timeout);
      const onExit = (code: number | null, signal: NodeJS.Signals | null) => {
        clearTimeout(timer);
        reject(new InstanceStartError(`instance ${options.id} exited (${code ?? signal}) before listening: ${stderr}`));
      };
      child.once('exit', onExit);
      child.once('error', (error) => {
        clearTimeout(timer);
        child.off('exit', onExit);
        reject(new InstanceStartError(`instance ${options.id} could not be spawned: ${error.message}`));
      });
      child.on('message', (message: unknown) => {
        const m = message as { type?: string; port?: number };
        if (m.type !== 'listening' || typeof m.port !== 'number') return;
        clearTimeout(timer);
        child.off('exit', onExit);
        resolve(new DemoInstance(options.id, m.port, child));
      });
    });
  }

  /** Called about every second with the p99 of the instance's event-loop delay over that second, in ms. */
  onEventLoopDelay(listener: (p99Ms: number) => void): void {
    this.child.on('message', (message: unknown) => {
      const m = message as { type?: string; p99Ms?: unknown };
      if (m.type === 'event-loop-delay' && typeof m.p99Ms === 'number') listener(m.p99Ms);
    });
  }

  onExit(listener: (code: number | null, signal: NodeJS.Signals | null) => void): void {
    this.exitListeners.push(listener);
  }

  /** SIGKILL, no goodbye: open connections are reset, as when an instance is terminated. */
  kill(): void {
    if (!this.exited) this.child.kill('SIGKILL');
  }

  /** Resolves once the process has exited (killing it first if asked). */
  async killAndWait(): Promise<void> {
    if (this.exited) return;
    const gone = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
    this.kill();
    await gone;
  }

  setLatency(fault: LatencyFault): Promise<void> {
    return this.control('PUT', '/__fault/latency', fault);
  }

  clearLatency(): Promise<void> {
    return this.control('DELETE', '/__fault/latency');
  }

  setErrors(fault: ErrorFault): Promise<void> {
    return this.control('PUT', '/__fault/errors', fault);
  }

  clearErrors(): Promise<void> {
    return this.control('DELETE', '/__fault/errors');
  }

  setHealthy(healthy: boolean): Promise<void> {
    return healthy ? this.control('DELETE', '/__fault/health') : this.control('PUT', '/__fault/health', { healthy });
  }

  private control(method: 'PUT' | 'DELETE', path: string, body?: unknown): Promise<void> {
    const payload = body === undefined ? '' : JSON.stringify(body);
    return new Promise<void>((resolve, reject) => {
      const req = http.request(
        {
          host: '127.0.0.1',
          port: this.port,
          path,
          method,
          agent: false,
          timeout: 2000,
          headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) },
        },
        (res) => {
          let text = '';
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => {
            text += chunk;
          });
          res.on('end', () => {
            if (res.statusCode === 200) resolve();
            else
              reject(new InstanceControlError(`${method} ${path} on instance ${this.id}: ${res.statusCode} ${text}`));
          });
        },
      );
      req.on('timeout', () => req.destroy(new Error('timed out after 2000 ms')));
      req.on('error', (error) =>
        reject(new InstanceControlError(`${method} ${path} on instance ${this.id} failed: ${error.message}`)),
      );
      req.end(payload);
    });
  }
}
