import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EventHub } from '../../../src-main/app/event-hub.js';
import { createLogger } from '../../../src-main/app/logger.js';
import { startBridge, type Bridge } from '../../../src-main/bridge/bridge-server.js';
import type { Handlers } from '../../../src-main/ipc/dispatch.js';

const secret = 'test-secret-0123456789';
// Only the calls these tests make; the rest of the contract (diagnostics, settings, …) is left out.
const handlers = {
  'app.info': async () => ({ name: 'Obnova', version: '0.0.0', mode: 'web', systemLocale: 'sl' }),
  'tokens.list': async () => { throw new Error('not used'); },
  'certificates.list': async (selector: { tokenLabel?: string }) => ({ certificates: [], notices: selector.tokenLabel ? [{ code: 'TOKEN_NO_CERTIFICATES' as const, slotId: '1', tokenLabel: selector.tokenLabel }] : [] }),
} as Partial<Handlers> as Handlers;

interface Reply { status: number; headers: Record<string, string | string[] | undefined>; body: string }

function send(bridge: Bridge, path: string, options: { method?: string; headers?: Record<string, string>; body?: string | Buffer } = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: bridge.port, path, method: options.method ?? 'GET', headers: { Host: `127.0.0.1:${bridge.port}`, ...options.headers } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
    req.end(options.body);
  });
}

const auth = { Authorization: `Bearer ${secret}`, 'Content-Type': 'application/json' };

describe('web-mode bridge', () => {
  let dir: string;
  let bridge: Bridge;
  const events = new EventHub();

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'obnova-bridge-'));
    mkdirSync(join(dir, 'renderer'));
    writeFileSync(join(dir, 'renderer/index.html'), '<!doctype html><title>Obnova</title>');
    writeFileSync(join(dir, 'outside.txt'), 'must not be served');
    bridge = await startBridge({ handlers, events, rendererDir: join(dir, 'renderer'), log: createLogger({ level: 'silent' }), secret });
  });
  afterAll(async () => {
    await bridge.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('prints a loopback URL with the secret in the fragment only', () => {
    expect(bridge.url).toBe(`http://127.0.0.1:${bridge.port}/#token=${secret}`);
  });

  it('serves the renderer with the strict CSP', async () => {
    const reply = await send(bridge, '/');
    expect(reply.status).toBe(200);
    expect(reply.body).toContain('<title>Obnova</title>');
    expect(reply.headers['content-security-policy']).toContain("script-src 'self'");
    expect(reply.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(reply.headers['x-content-type-options']).toBe('nosniff');
  });

  it('never serves a file outside the renderer folder', async () => {
    expect((await send(bridge, '/..%2foutside.txt')).status).toBe(404);
    expect((await send(bridge, '/%2e%2e/outside.txt')).status).toBe(404);
  });

  it('answers a call with its Result', async () => {
    const reply = await send(bridge, '/bridge/call/certificates.list', { method: 'POST', headers: auth, body: JSON.stringify({ tokenLabel: 'A' }) });
    expect(reply.status).toBe(200);
    expect(JSON.parse(reply.body)).toEqual({ ok: true, value: { certificates: [], notices: [{ code: 'TOKEN_NO_CERTIFICATES', slotId: '1', tokenLabel: 'A' }] } });
  });

  it('refuses calls without the secret or with a wrong one', async () => {
    for (const headers of [{ 'Content-Type': 'application/json' }, { ...auth, Authorization: 'Bearer wrong' }]) {
      const reply = await send(bridge, '/bridge/call/app.info', { method: 'POST', headers, body: '{}' });
      expect(reply.status).toBe(401);
      expect(JSON.parse(reply.body)).toMatchObject({ ok: false, error: { code: 'BRIDGE_UNAUTHORIZED' } });
    }
  });

  it('refuses a foreign Host (DNS rebinding) and a foreign Origin', async () => {
    const rebound = await send(bridge, '/bridge/call/app.info', { method: 'POST', headers: { ...auth, Host: 'evil.example:80' }, body: '{}' });
    expect(rebound.status).toBe(403);
    const crossSite = await send(bridge, '/bridge/call/app.info', { method: 'POST', headers: { ...auth, Origin: 'https://evil.example' }, body: '{}' });
    expect(crossSite.status).toBe(403);
  });

  it('refuses non-JSON, malformed JSON and oversized bodies with clear codes', async () => {
    const text = await send(bridge, '/bridge/call/app.info', { method: 'POST', headers: { ...auth, 'Content-Type': 'text/plain' }, body: '{}' });
    expect(text.status).toBe(415);
    const malformed = await send(bridge, '/bridge/call/app.info', { method: 'POST', headers: auth, body: '{"a":' });
    expect(malformed.status).toBe(400);
    expect(JSON.parse(malformed.body)).toMatchObject({ error: { code: 'INPUT_INVALID' } });
    const huge = await send(bridge, '/bridge/call/app.info', { method: 'POST', headers: auth, body: Buffer.alloc(1024 * 1024 + 10, 0x20) });
    expect(huge.status).toBe(413);
  });

  it('refuses calls the contract does not declare', async () => {
    const reply = await send(bridge, '/bridge/call/shell.exec', { method: 'POST', headers: auth, body: '{}' });
    expect(JSON.parse(reply.body)).toMatchObject({ ok: false, error: { code: 'CALL_UNKNOWN' } });
    const garbled = await send(bridge, '/bridge/call/app.%E0%A4%A', { method: 'POST', headers: auth, body: '{}' });
    expect(garbled.status).toBe(404);
    expect(JSON.parse(garbled.body)).toMatchObject({ ok: false, error: { code: 'CALL_UNKNOWN' } });
  });

  it('streams contract events to an authorised subscriber', async () => {
    const received = await new Promise<string>((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port: bridge.port, path: '/bridge/events', headers: { Authorization: `Bearer ${secret}`, Host: `127.0.0.1:${bridge.port}` } }, (res) => {
        expect(res.headers['content-type']).toBe('text/event-stream');
        let text = '';
        res.on('data', (chunk: Buffer) => {
          text += chunk.toString('utf8');
          if (text.includes(': connected')) events.emit('tokens.changed', { at: '2026-01-01T00:00:00.000Z' });
          if (text.includes('event: tokens.changed')) {
            req.destroy();
            resolve(text);
          }
        });
      });
      req.on('error', reject);
      req.end();
    });
    expect(received).toContain('event: tokens.changed\ndata: {"at":"2026-01-01T00:00:00.000Z"}');
  });
});
