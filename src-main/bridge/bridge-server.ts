/**
 * Web mode's loopback bridge: serves the renderer and carries contract calls and events over HTTP,
 * so the same renderer runs in a browser against the headless main process.
 *
 * Protocol (docs/web-mode.md): POST /bridge/call/<call> with `Authorization: Bearer <secret>` and a JSON
 * body → a Result JSON; GET /bridge/events → text/event-stream of contract events.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { EventHub } from '../app/event-hub.js';
import type { Logger } from '../app/logger.js';
import { dispatchCall, type Handlers } from '../ipc/dispatch.js';
import { securityHeaders } from './security-headers.js';
import { readStaticFile } from './static-files.js';

const maxBodyBytes = 1024 * 1024;
const heartbeatMs = 15_000;

export interface BridgeOptions {
  handlers: Handlers;
  events: EventHub;
  rendererDir: string;
  log: Logger;
  /** 0 picks a free port. */
  port?: number;
  /** Fixed secret for tests; a fresh random one otherwise. */
  secret?: string;
}

export interface Bridge {
  readonly port: number;
  readonly origin: string;
  /** The URL to open: the secret travels in the fragment, which browsers never send to a server. */
  readonly url: string;
  close(): Promise<void>;
}

export async function startBridge(options: BridgeOptions): Promise<Bridge> {
  const secret = options.secret ?? randomBytes(32).toString('base64url');
  const expected = Buffer.from(`Bearer ${secret}`);
  const sseClients = new Set<ServerResponse>();
  let origin = '';

  const authorized = (req: IncomingMessage): boolean => {
    const given = Buffer.from(req.headers.authorization ?? '');
    return given.length === expected.length && timingSafeEqual(given, expected);
  };

  // DNS rebinding and cross-site requests: only our own host and origin are served.
  const sameOrigin = (req: IncomingMessage): boolean => {
    const host = req.headers.host;
    if (host !== origin.slice('http://'.length)) return false;
    const from = req.headers.origin;
    return from === undefined || from === origin;
  };

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      options.log.error({ err: error }, 'bridge request failed');
      if (!res.headersSent) sendJson(res, 500, { ok: false, error: { code: 'INTERNAL', message: 'Unexpected internal error' } });
      else res.end();
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    for (const [name, value] of Object.entries(securityHeaders)) res.setHeader(name, value);
    if (!sameOrigin(req)) return sendJson(res, 403, unauthorized('request from another origin'));
    const url = new URL(req.url ?? '/', origin);

    if (url.pathname.startsWith('/bridge/')) {
      res.setHeader('Cache-Control', 'no-store');
      if (!authorized(req)) return sendJson(res, 401, unauthorized('missing or wrong bridge secret'));
      if (req.method === 'POST' && url.pathname.startsWith('/bridge/call/')) return handleCall(req, res, url.pathname.slice('/bridge/call/'.length));
      if (req.method === 'GET' && url.pathname === '/bridge/events') return handleEvents(req, res);
      return sendJson(res, 404, { ok: false, error: { code: 'CALL_UNKNOWN', message: 'no such bridge route' } });
    }

    if (req.method !== 'GET' && req.method !== 'HEAD') return sendJson(res, 405, { ok: false, error: { code: 'CALL_UNKNOWN', message: 'method not allowed' } });
    const file = await readStaticFile(options.rendererDir, url.pathname);
    if (!file) {
      res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' });
      return void res.end('Not found');
    }
    res.writeHead(200, { 'Content-Type': file.contentType, 'Cache-Control': 'no-cache' });
    res.end(req.method === 'HEAD' ? undefined : file.body);
  }

  async function handleCall(req: IncomingMessage, res: ServerResponse, callName: string): Promise<void> {
    if (!(req.headers['content-type'] ?? '').startsWith('application/json')) {
      return sendJson(res, 415, { ok: false, error: { code: 'INPUT_INVALID', message: 'content type must be application/json' } });
    }
    const body = await readBody(req);
    if (body === undefined) return sendJson(res, 413, { ok: false, error: { code: 'INPUT_INVALID', message: `body larger than ${maxBodyBytes} bytes` } });
    let input: unknown;
    try {
      input = body.length === 0 ? {} : JSON.parse(body.toString('utf8'));
    } catch {
      return sendJson(res, 400, { ok: false, error: { code: 'INPUT_INVALID', message: 'body is not JSON' } });
    }
    let name: string;
    try {
      name = decodeURIComponent(callName);
    } catch {
      // Malformed %-encoding names no call at all: the same answer as an undeclared call, not a 500.
      return sendJson(res, 404, { ok: false, error: { code: 'CALL_UNKNOWN', message: 'call name is not valid percent-encoding' } });
    }
    sendJson(res, 200, await dispatchCall(options.handlers, name, input, options.log));
  }

  function handleEvents(req: IncomingMessage, res: ServerResponse): void {
    res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-store', Connection: 'keep-alive' });
    res.write(': connected\n\n');
    sseClients.add(res);
    const unsubscribe = options.events.subscribe((name, payload) => {
      res.write(`event: ${name}\ndata: ${JSON.stringify(payload)}\n\n`);
    });
    const heartbeat = setInterval(() => res.write(': keep-alive\n\n'), heartbeatMs);
    req.on('close', () => {
      clearInterval(heartbeat);
      unsubscribe();
      sseClients.delete(res);
    });
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  origin = `http://127.0.0.1:${port}`;

  return {
    port,
    origin,
    url: `${origin}/#token=${secret}`,
    close: () =>
      new Promise<void>((resolve) => {
        for (const client of sseClients) client.end();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function unauthorized(message: string) {
  return { ok: false, error: { code: 'BRIDGE_UNAUTHORIZED', message } };
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8' });
  res.end(JSON.stringify(body));
}

function readBody(req: IncomingMessage): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBodyBytes) {
        // Stop buffering but keep the socket, so the 413 still reaches the client.
        req.removeAllListeners('data');
        req.resume();
        resolve(undefined);
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}
