// One demo service instance (a child process of the sandbox): answers GET / after a base service time with jitter,
// GET /health for the balancer, and /__fault/* control endpoints the local fault injector uses to add latency or errors.
// Every second it tells the sandbox, over IPC, how late its event loop ran (the host's starvation seen from here).
// Plain JavaScript on purpose: node starts it in milliseconds, where tsx would take half a second per instance.
import http from 'node:http';
import { monitorEventLoopDelay } from 'node:perf_hooks';

const id = process.env.SHAKETABLE_INSTANCE_ID ?? 'instance';
const serviceMs = Number(process.env.SHAKETABLE_SERVICE_MS ?? '5');
const state = {
  healthy: process.env.SHAKETABLE_UNHEALTHY !== '1',
  /** @type {{ delayMilliseconds: number, percent: number } | undefined} */
  latency: undefined,
  /** @type {{ status: number, percent: number } | undefined} */
  errors: undefined,
};

function chance(percent) {
  return Math.random() * 100 < percent;
}

function send(res, status, body) {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  res.writeHead(status, { 'content-type': typeof body === 'string' ? 'text/plain' : 'application/json' });
  res.end(text);
}

function readJson(req) {
  return new Promise((resolve, reject) => {
    let text = '';
    req.setEncoding('utf8');
    req.on('data', (chunk) => {
      text += chunk;
    });
    req.on('end', () => {
      try {
        resolve(text ? JSON.parse(text) : {});
      } catch (error) {
        reject(error);
      }
    });
    req.on('error', reject);
  });
}

function numberIn(value, min, max, name) {
  const n = Number(value);
  if (!Number.isFinite(n) || n < min || n > max)
    throw new RangeError(`${name} must be a number in [${min}, ${max}], got ${value}`);
  return n;
}

async function control(req, res, path) {
  if (req.method === 'GET' && path === '/__fault') return send(res, 200, { id, ...state });
  const kind = path.slice('/__fault/'.length);
  if (req.method === 'DELETE') {
    if (kind === 'latency') state.latency = undefined;
    else if (kind === 'errors') state.errors = undefined;
    else if (kind === 'health') state.healthy = true;
    else return send(res, 404, `unknown fault ${kind}`);
    return send(res, 200, { id, ...state });
  }
  if (req.method !== 'PUT') return send(res, 405, 'use GET, PUT or DELETE');
  try {
    const body = await readJson(req);
    if (kind === 'latency') {
      state.latency = {
        delayMilliseconds: numberIn(body.delayMilliseconds, 0, 60_000, 'delayMilliseconds'),
        percent: numberIn(body.percent ?? 100, 0, 100, 'percent'),
      };
    } else if (kind === 'errors') {
      state.errors = {
        status: numberIn(body.status ?? 500, 400, 599, 'status'),
        percent: numberIn(body.percent ?? 100, 0, 100, 'percent'),
      };
    } else if (kind === 'health') {
      state.healthy = body.healthy === true;
    } else {
      return send(res, 404, `unknown fault ${kind}`);
    }
    return send(res, 200, { id, ...state });
  } catch (error) {
    return send(res, 400, String(error instanceof Error ? error.message : error));
  }
}

const server = http.createServer((req, res) => {
  const path = (req.url ?? '/').split('?')[0];
  if (path === '/__fault' || path.startsWith('/__fault/')) {
    void control(req, res, path);
    return;
  }
  // Injected network latency delays every request to the instance, health checks included, as a slow link would.
  const delay = state.latency && chance(state.latency.percent) ? state.latency.delayMilliseconds : 0;
  if (path === '/health') {
    setTimeout(() => send(res, state.healthy ? 200 : 503, state.healthy ? 'healthy' : 'unhealthy'), delay);
    return;
  }
  if (path !== '/') {
    send(res, 404, 'not found');
    return;
  }
  // Injected HTTP errors are application errors: the request is served, with an error status.
  const failing = state.errors && chance(state.errors.percent) ? state.errors.status : undefined;
  const service = serviceMs * (0.8 + 0.4 * Math.random());
  setTimeout(() => send(res, failing ?? 200, failing ? `injected error from ${id}` : `ok from ${id}`), service + delay);
});
server.keepAliveTimeout = 30_000;

server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  if (process.send) process.send({ type: 'listening', port });
  else process.stdout.write(`${JSON.stringify({ type: 'listening', port })}\n`);
});

// The p99 of the loop's delay over the last second (ns → ms): a starved host delays every answer by about as much.
const loopDelay = monitorEventLoopDelay({ resolution: 10 });
loopDelay.enable();
setInterval(() => {
  if (process.send && process.connected && loopDelay.count > 0) {
    process.send({ type: 'event-loop-delay', p99Ms: loopDelay.percentile(99) / 1e6 });
  }
  loopDelay.reset();
}, 1000).unref();

// The sandbox talks to us over an IPC channel; when it goes away (the parent exited or was killed), so do we,
// so that no instance outlives the run that started it.
process.on('disconnect', () => process.exit(0));
process.on('SIGTERM', () => process.exit(0));
