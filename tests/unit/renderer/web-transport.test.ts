/**
 * The web transport against a real loopback HTTP server that speaks the bridge protocol of
 * docs/web-mode.md (the real bridge is covered by the e2e test; this pins the client's side).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createObnovaApi } from '../../../src-shared/contract/index.js';
import { createWebTransport } from '../../../src-renderer/src/bridge/web-transport.js';

const secret = 'test-secret';

interface Fixture {
  server: Server;
  origin: string;
  calls: Array<{ path: string; auth: string | undefined; contentType: string | undefined; body: string }>;
  streams: Set<ServerResponse>;
  streamRequests: number;
  /** Every GET /bridge/events, authorised or not. */
  eventAttempts: number;
  answer: (call: string, body: unknown) => { status: number; body: string };
}

let fx: Fixture;

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

beforeEach(async () => {
  const fixture: Partial<Fixture> = { calls: [], streams: new Set(), streamRequests: 0, eventAttempts: 0 };
  fixture.answer = () => ({ status: 200, body: JSON.stringify({ ok: true, value: { tokens: [] } }) });
  fixture.server = createServer((req, res) => {
    void (async () => {
      if (req.url === '/bridge/events') fixture.eventAttempts!++;
      if (req.headers.authorization !== `Bearer ${secret}`) {
        res.writeHead(401, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify({ ok: false, error: { code: 'BRIDGE_UNAUTHORIZED', message: 'wrong secret' } }));
        return;
      }
      if (req.method === 'POST' && req.url?.startsWith('/bridge/call/')) {
        const body = await readBody(req);
        const call = decodeURIComponent(req.url.slice('/bridge/call/'.length));
        fixture.calls!.push({ path: req.url, auth: req.headers.authorization, contentType: req.headers['content-type'], body });
        const answer = fixture.answer!(call, JSON.parse(body));
        res.writeHead(answer.status, { 'Content-Type': 'application/json' });
        res.end(answer.body);
        return;
      }
      if (req.method === 'GET' && req.url === '/bridge/events') {
        fixture.streamRequests!++;
        res.writeHead(200, { 'Content-Type': 'text/event-stream' });
        res.write(': connected\n\n');
        fixture.streams!.add(res);
        req.on('close', () => fixture.streams!.delete(res));
        return;
      }
      res.writeHead(404);
      res.end();
    })();
  });
  await new Promise<void>((resolve) => fixture.server!.listen(0, '127.0.0.1', resolve));
  fixture.origin = `http://127.0.0.1:${(fixture.server.address() as AddressInfo).port}`;
  fx = fixture as Fixture;
});

afterEach(async () => {
  for (const stream of fx.streams) stream.end();
  fx.server.closeAllConnections();
  await new Promise<void>((resolve) => fx.server.close(() => resolve()));
});

const api = (overrides: { secret?: string | null; baseUrl?: string } = {}) =>
  createObnovaApi(
    createWebTransport({
      fetch,
      baseUrl: overrides.baseUrl ?? fx.origin,
      secret: overrides.secret === undefined ? secret : overrides.secret,
      reconnectInitialMs: 20,
      reconnectMaxMs: 40,
      onProblem: () => {},
    }),
  );

function waitFor(check: () => boolean, timeoutMs = 3000): Promise<void> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const tick = () => {
      if (check()) return resolve();
      if (Date.now() - started > timeoutMs) return reject(new Error('timed out'));
      setTimeout(tick, 10);
    };
    tick();
  });
}

describe('web transport calls', () => {
  it('posts the input as JSON with the bearer secret to /bridge/call/<name> and returns the Result', async () => {
    const result = await api().listCertificates({ slotId: '3' });
    expect(result).toEqual({ ok: true, value: { tokens: [] } });
    expect(fx.calls).toEqual([
      { path: '/bridge/call/certificates.list', auth: `Bearer ${secret}`, contentType: 'application/json', body: '{"slotId":"3"}' },
    ]);
  });

  it('passes error results through unchanged', async () => {
    fx.answer = () => ({ status: 200, body: JSON.stringify({ ok: false, error: { code: 'TOKEN_NOT_PRESENT', message: 'no token', details: { slotId: '1' } } }) });
    expect(await api().listTokens({})).toEqual({ ok: false, error: { code: 'TOKEN_NOT_PRESENT', message: 'no token', details: { slotId: '1' } } });
  });

  it('reports a wrong secret as the bridge’s BRIDGE_UNAUTHORIZED result', async () => {
    const result = await api({ secret: 'wrong' }).listTokens({});
    expect(result.ok === false && result.error.code).toBe('BRIDGE_UNAUTHORIZED');
  });

  it('does not call at all without a secret', async () => {
    const result = await api({ secret: null }).getAppInfo({});
    expect(result.ok === false && result.error.code).toBe('BRIDGE_UNAUTHORIZED');
    expect(fx.calls).toHaveLength(0);
  });

  it('turns a refused connection into BRIDGE_UNAVAILABLE', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const result = await api({ baseUrl: `http://127.0.0.1:${port}` }).listTokens({});
    expect(result.ok === false && result.error.code).toBe('BRIDGE_UNAVAILABLE');
  });

  it('turns a 5xx without a Result into BRIDGE_UNAVAILABLE and other junk into INTERNAL', async () => {
    fx.answer = () => ({ status: 502, body: '<html>bad gateway</html>' });
    const gateway = await api().listTokens({});
    expect(gateway).toMatchObject({ ok: false, error: { code: 'BRIDGE_UNAVAILABLE', details: { status: 502 } } });
    fx.answer = () => ({ status: 200, body: '{"hello":1}' });
    const junk = await api().listTokens({});
    expect(junk.ok === false && junk.error.code).toBe('INTERNAL');
  });
});

describe('web transport events', () => {
  const changed = (at: string) => `event: tokens.changed\ndata: {"at":"${at}"}\n\n`;

  it('delivers tokens.changed from one shared stream to every listener, even split across writes', async () => {
    const client = api();
    const a: unknown[] = [];
    const b: unknown[] = [];
    const offA = client.onTokensChanged((p) => a.push(p));
    const offB = client.onTokensChanged((p) => b.push(p));
    await waitFor(() => fx.streams.size === 1);
    const [stream] = [...fx.streams];
    const text = changed('2026-11-25T12:00:00.000Z');
    stream!.write(text.slice(0, 17));
    stream!.write(text.slice(17));
    stream!.write('event: unknown.event\ndata: {}\n\n');
    await waitFor(() => a.length === 1 && b.length === 1);
    expect(a).toEqual([{ at: '2026-11-25T12:00:00.000Z' }]);
    expect(fx.streamRequests).toBe(1);
    offA();
    offB();
    await waitFor(() => fx.streams.size === 0);
  });

  it('reconnects after the stream drops, and stops when the last listener leaves', async () => {
    const client = api();
    const got: unknown[] = [];
    const off = client.onTokensChanged((p) => got.push(p));
    await waitFor(() => fx.streams.size === 1);
    for (const stream of fx.streams) stream.end();
    await waitFor(() => fx.streamRequests === 2 && fx.streams.size === 1);
    [...fx.streams][0]!.write(changed('2026-11-25T12:01:00.000Z'));
    await waitFor(() => got.length === 1);
    off();
    await waitFor(() => fx.streams.size === 0);
    const requests = fx.streamRequests;
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(fx.streamRequests).toBe(requests);
  });

  it('ignores payloads that do not match the contract and keeps going after a listener throws', async () => {
    const client = api();
    const got: unknown[] = [];
    const offBad = client.onTokensChanged(() => {
      throw new Error('listener bug');
    });
    const off = client.onTokensChanged((p) => got.push(p));
    await waitFor(() => fx.streams.size === 1);
    const [stream] = [...fx.streams];
    stream!.write('event: tokens.changed\ndata: {"at":"yesterday"}\n\n');
    stream!.write(changed('2026-11-25T12:02:00.000Z'));
    await waitFor(() => got.length === 1);
    expect(got).toEqual([{ at: '2026-11-25T12:02:00.000Z' }]);
    offBad();
    off();
  });

  it('gives up on a stream the bridge refuses (401)', async () => {
    const client = api({ secret: 'wrong' });
    const off = client.onTokensChanged(() => {});
    await new Promise((resolve) => setTimeout(resolve, 200));
    // With 20 ms backoff a retrying client would have tried several times by now.
    expect(fx.eventAttempts).toBe(1);
    expect(fx.streamRequests).toBe(0);
    off();
  });
});
