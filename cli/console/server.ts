// `shaketable console`: a small HTTP server on 127.0.0.1 (node:http, no framework) serving the console page and its
// JSON API. Every request must carry the random token printed in the URL (header, or `token` query parameter for
// what a browser fetches by itself); a request naming another host is refused (DNS rebinding), and a state-changing
// request must come from the console's own origin (Origin / Sec-Fetch-Site) with the token in a header, which a
// cross-site form cannot send.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { UserError } from '../errors.js';
import { ACK_KIND_NAMES, type AckKindName, type ApiError, type LiveEvent, TOKEN_HEADER } from './api.js';
import { type ConsoleBackend, ConsoleRequestError } from './backend.js';
import { oneLine } from './rows.js';

/** Where `npm run build` puts the page's script and stylesheet (scripts/build-cli.ts). */
const ASSETS = fileURLToPath(new URL('../../dist/console/', import.meta.url));
const ASSET_FILES: Record<string, string> = { '/app.js': 'text/javascript', '/app.css': 'text/css' };
const MAX_BODY_BYTES = 16 * 1024;

/** The page may talk to its own origin only, and nothing may frame it. Reports are framed from it (same origin). */
const APP_CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; frame-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

export interface ConsoleServer {
  url: string;
  port: number;
  token: string;
  /** closes the server and every open connection, then the backend (waits for a run it started to be recorded) */
  stop(): Promise<void>;
}

export async function startConsoleServer(
  backend: ConsoleBackend,
  options: { port?: number; token?: string } = {},
): Promise<ConsoleServer> {
  const token = options.token ?? randomBytes(24).toString('hex');
  const assets = await readAssets();
  let port = 0;
  const server: Server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (res.headersSent) return void res.destroy(); // a live stream that broke: the page reconnects
      const { status, body } = errorResponse(error);
      sendJson(res, status, body);
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', `http://127.0.0.1:${port}`);
    commonHeaders(res);
    if (!allowedHost(req.headers.host, port)) return sendJson(res, 403, { error: 'unknown host' });
    const method = req.method ?? 'GET';
    if (method === 'POST') {
      if (!sameOrigin(req, port)) {
        return sendJson(res, 403, { error: 'state-changing requests must come from the console page itself' });
      }
      if (!tokenMatches(headerValue(req.headers[TOKEN_HEADER]), token)) {
        return sendJson(res, 401, { error: 'missing or wrong token: open the URL shaketable console printed' });
      }
      return post(url.pathname, await readJson(req), res);
    }
    if (method !== 'GET' && method !== 'HEAD') return sendJson(res, 405, { error: `${method} is not allowed` });
    if (!tokenMatches(headerValue(req.headers[TOKEN_HEADER]) ?? url.searchParams.get('token') ?? undefined, token)) {
      return sendJson(res, 401, { error: 'missing or wrong token: open the URL shaketable console printed' });
    }
    return get(url, res);
  }

  async function get(url: URL, res: ServerResponse): Promise<void> {
    const path = url.pathname;
    if (path === '/') return send(res, 200, 'text/html; charset=utf-8', indexHtml(token), { csp: APP_CSP });
    const asset = ASSET_FILES[path];
    if (asset) return send(res, 200, `${asset}; charset=utf-8`, assets[path] ?? '');
    if (path === '/api/state') return sendJson(res, 200, await backend.state());
    if (path === '/api/catalog') return sendJson(res, 200, await backend.catalog());
    if (path === '/api/scorecard') {
      const days = Number(url.searchParams.get('days') ?? '30');
      if (!Number.isInteger(days) || days < 1 || days > 3650) {
        throw new ConsoleRequestError('days must be a whole number from 1 to 3650');
      }
      return send(res, 200, 'text/html; charset=utf-8', await backend.scorecard(days), { framed: true });
    }
    let match = /^\/api\/experiments\/([^/]+)\/runs$/.exec(path);
    if (match) return sendJson(res, 200, await backend.history(decodeURIComponent(match[1]!)));
    match = /^\/api\/runs\/([^/]+)\/report$/.exec(path);
    if (match) {
      return send(res, 200, 'text/html; charset=utf-8', await backend.report(decodeURIComponent(match[1]!)), {
        framed: true,
      });
    }
    match = /^\/api\/live\/([^/]+)$/.exec(path);
    if (match) return streamLive(decodeURIComponent(match[1]!), res);
    return sendJson(res, 404, { error: `no page ${path}` });
  }

  async function post(path: string, body: Record<string, unknown>, res: ServerResponse): Promise<void> {
    if (path === '/api/runs') {
      const experiment = body.experiment;
      if (typeof experiment !== 'string') throw new ConsoleRequestError('the request names no experiment');
      const live = await backend.start({ experiment, dryRun: body.dryRun === true });
      return sendJson(res, 202, live.summary());
    }
    if (path === '/api/halt') {
      const reason =
        typeof body.reason === 'string' && body.reason.trim() ? body.reason.trim() : 'halted from the console';
      return sendJson(res, 200, { message: await backend.halt(reason) });
    }
    if (path === '/api/resume') return sendJson(res, 200, { message: await backend.resume() });
    const ack = /^\/api\/runs\/([^/]+)\/ack$/.exec(path);
    if (ack) {
      const kind = body.kind;
      if (typeof kind !== 'string' || !(ACK_KIND_NAMES as readonly string[]).includes(kind)) {
        throw new ConsoleRequestError(`ack: the kind must be ${ACK_KIND_NAMES.join(' or ')}`);
      }
      const note = typeof body.note === 'string' && body.note.trim() ? body.note.trim() : undefined;
      const message = await backend.ack(decodeURIComponent(ack[1]!), kind as AckKindName, note);
      return sendJson(res, 200, { message });
    }
    const match = /^\/api\/runs\/([^/]+)\/(approve|reject)$/.exec(path);
    if (match) {
      const runId = decodeURIComponent(match[1]!);
      const reason = typeof body.reason === 'string' && body.reason.trim() ? body.reason.trim() : 'no reason given';
      const message = match[2] === 'approve' ? await backend.approve(runId) : await backend.reject(runId, reason);
      return sendJson(res, 200, { message });
    }
    return sendJson(res, 404, { error: `no action ${path}` });
  }

  /** Server-Sent Events: every event of the run so far, then each new one; the stream ends with the run. */
  function streamLive(runId: string, res: ServerResponse): void {
    const live = backend.live(runId);
    if (!live) throw new ConsoleRequestError(`run ${runId} was not started by this console`, 404);
    res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-store' });
    const write = (event: LiveEvent) => {
      res.write(`data: ${JSON.stringify(event)}\n\n`);
      if (event.kind === 'verdict' || event.kind === 'error') res.end();
    };
    const unfollow = live.follow(write);
    res.on('close', unfollow);
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EADDRINUSE') {
        reject(
          new UserError(`--port ${options.port}: the port is in use on 127.0.0.1; pick another or leave --port out`),
        );
      } else if (error.code === 'EACCES') {
        reject(new UserError(`--port ${options.port}: not allowed to listen there; use a port above 1023`));
      } else reject(error);
    });
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  port = (server.address() as AddressInfo).port;

  let stopping: Promise<void> | undefined;
  return {
    url: `http://127.0.0.1:${port}/?token=${token}`,
    port,
    token,
    stop() {
      stopping ??= (async () => {
        const closed = new Promise<void>((resolve) => server.close(() => resolve()));
        server.closeAllConnections();
        await closed;
        await backend.close();
      })();
      return stopping;
    },
  };
}

async function readAssets(): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const path of Object.keys(ASSET_FILES)) {
    try {
      out[path] = await readFile(`${ASSETS}${path.slice(1)}`, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      throw new UserError(`the console's page is not built (no ${ASSETS}${path.slice(1)}): run npm run build`, 4);
    }
  }
  return out;
}

/** The page: a shell the app fills in. The token rides in the asset URLs; the app reads it from its own URL. */
function indexHtml(token: string): string {
  return [
    '<!doctype html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    '<meta name="referrer" content="no-referrer">',
    '<meta name="color-scheme" content="light dark">',
    '<title>shaketable console</title>',
    `<link rel="stylesheet" href="/app.css?token=${token}">`,
    `<script src="/app.js?token=${token}" defer></script>`,
    '</head>',
    '<body>',
    '<noscript>The shaketable console needs JavaScript (it loads nothing from elsewhere).</noscript>',
    '</body>',
    '</html>',
    '',
  ].join('\n');
}

function commonHeaders(res: ServerResponse): void {
  res.setHeader('cache-control', 'no-store');
  res.setHeader('x-content-type-options', 'nosniff');
  res.setHeader('referrer-policy', 'no-referrer');
  res.setHeader('cross-origin-resource-policy', 'same-origin');
}

function send(
  res: ServerResponse,
  status: number,
  type: string,
  body: string,
  options: { csp?: string; framed?: boolean } = {},
): void {
  res.statusCode = status;
  res.setHeader('content-type', type);
  // Reports and the scorecard carry their own CSP (no network); only the console itself may frame them.
  if (options.csp) res.setHeader('content-security-policy', options.csp);
  if (options.framed) res.setHeader('content-security-policy', "frame-ancestors 'self'");
  else res.setHeader('x-frame-options', 'DENY');
  res.end(body);
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  send(res, status, 'application/json; charset=utf-8', JSON.stringify(body));
}

/** Maps a failed request to its status and one line: the page shows the line as it is. */
export function errorResponse(error: unknown): { status: number; body: ApiError } {
  if (error instanceof ConsoleRequestError) return { status: error.status, body: { error: error.message } };
  if (error instanceof UserError) return { status: 400, body: { error: error.message } };
  return { status: 500, body: { error: oneLine(error) } };
}

function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

function tokenMatches(given: string | undefined, token: string): boolean {
  if (given === undefined) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

function allowedHost(host: string | undefined, port: number): boolean {
  return host === `127.0.0.1:${port}` || host === `localhost:${port}`;
}

/**
 * A browser names the page a request comes from: Origin (sent with every POST) and Sec-Fetch-Site. Either one
 * naming another origin refuses the request; a client that sends neither (curl, scripts) needs the token header.
 */
function sameOrigin(req: IncomingMessage, port: number): boolean {
  const origin = headerValue(req.headers.origin);
  if (origin !== undefined && origin !== `http://127.0.0.1:${port}` && origin !== `http://localhost:${port}`) {
    return false;
  }
  const site = headerValue(req.headers['sec-fetch-site']);
  return site === undefined || site === 'same-origin';
}

async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  const type = headerValue(req.headers['content-type']) ?? '';
  if (!type.startsWith('application/json')) throw new ConsoleRequestError('actions take a JSON body', 415);
  let size = 0;
  const chunks: Buffer[] = [];
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new ConsoleRequestError('request body too large', 413);
    chunks.push(chunk as Buffer);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  if (!text.trim()) return {};
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new ConsoleRequestError('the request body is not JSON');
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new ConsoleRequestError('the request body must be a JSON object');
  }
  return body as Record<string, unknown>;
}
