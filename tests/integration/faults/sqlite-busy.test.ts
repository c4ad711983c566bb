/**
 * Another process holds SQLite's write lock (the CLI in a long transaction, a backup, a stuck
 * tool): `serve` answers a write with 503 + Retry-After (CA_DATABASE_BUSY) at once, its event loop
 * never stalls (better-sqlite3 waits synchronously, so the wait is kept to a few ms), reads and
 * OCSP go on, and writes succeed again once the lock is released.
 */
import Sqlite from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { unloadAllModules } from '../../../src-service/hsm/pkcs11-module.js';
import { startServer, type RunningServer } from '../../../src-service/server.js';
import { createTestCa, type TestCa } from '../../helpers/service/ca-factory.js';
import { useSoftHsmEnv } from '../../helpers/service/softhsm-env.js';

const hsm = useSoftHsmEnv('obnova-sqlite-busy-');

/** Runs `work` while sampling the event loop every 10 ms; returns the longest gap seen. */
async function longestStall<T>(work: () => Promise<T>): Promise<{ value: T; stallMs: number }> {
  let last = performance.now();
  let stallMs = 0;
  const timer = setInterval(() => {
    const now = performance.now();
    stallMs = Math.max(stallMs, now - last);
    last = now;
  }, 10);
  try {
    const value = await work();
    return { value, stallMs: Math.max(stallMs, performance.now() - last) };
  } finally {
    clearInterval(timer);
  }
}

describe('serve on SQLite while another process holds the write lock', () => {
  let ca: TestCa;
  let server: RunningServer;
  let other: Sqlite.Database;

  beforeAll(async () => {
    ca = await createTestCa();
    server = await startServer(ca.dir, { host: '127.0.0.1', port: 0 });
    other = new Sqlite(ca.config.database.slice('sqlite:'.length));
  }, 60_000);
  afterAll(async () => {
    other?.close();
    await server?.close();
    await ca?.cleanup();
    unloadAllModules();
    hsm.cleanup();
  });

  it('answers 503 + Retry-After at once, without stalling, and normally after the lock is released', async () => {
    expect((await fetch(`${server.url}/v1/challenges`, { method: 'POST' })).status).toBe(201);
    other.prepare('BEGIN IMMEDIATE').run();
    try {
      const started = performance.now();
      const { value: r, stallMs } = await longestStall(() => fetch(`${server.url}/v1/challenges`, { method: 'POST' }));
      const elapsedMs = performance.now() - started;
      expect(r.status).toBe(503);
      expect(Number(r.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(((await r.json()) as { code: string }).code).toBe('CA_DATABASE_BUSY');
      expect(elapsedMs).toBeLessThan(1_000);
      expect(stallMs).toBeLessThan(500);
      // Reads go on: WAL readers are not blocked by a writer.
      expect((await fetch(`${server.url}/readyz`)).status).toBe(200);
      console.log(`[sqlite busy] refused in ${elapsedMs.toFixed(0)} ms, longest event-loop stall ${stallMs.toFixed(0)} ms`);
    } finally {
      other.prepare('COMMIT').run();
    }
    expect((await fetch(`${server.url}/v1/challenges`, { method: 'POST' })).status).toBe(201);
  }, 30_000);
});
