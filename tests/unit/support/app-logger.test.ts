import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createAppLogger } from '../../../src-main/logging/app-logger.js';
import { createRotatingFile } from '../../../src-main/logging/rotating-file.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'obnova-logs-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('app log files', () => {
  it('rotate by size and keep only the newest files', () => {
    const file = createRotatingFile({ dir, maxBytes: 100, keep: 2 });
    for (let i = 0; i < 20; i++) file.write(`${String(i).padStart(2, '0')} ${'x'.repeat(36)}\n`);
    expect(readdirSync(dir).sort()).toEqual(['obnova.1.log', 'obnova.2.log', 'obnova.log']);
    expect(readFileSync(join(dir, 'obnova.log'), 'utf8')).toMatch(/^18 x+\n19 x+\n$/);
    expect(file.files().map((p) => p.slice(dir.length + 1))).toEqual(['obnova.log', 'obnova.1.log', 'obnova.2.log']);
  });

  it('are JSON lines with ISO time, and PIN, PUK, tokens and Authorization are redacted at any of three levels', () => {
    const { log, file } = createAppLogger({ appDataDir: dir, level: 'debug', stderr: false });
    log.info({ source: 'token', pin: '111222', request: { puk: '33445566', headers: { authorization: 'Bearer abcdefgh' } }, order: { accessToken: 'tok-777' } }, 'login');
    log.debug({ newPin: '999000' }, 'pin change');
    const text = readFileSync(file.path, 'utf8');
    for (const secret of ['111222', '33445566', 'abcdefgh', 'tok-777', '999000']) expect(text).not.toContain(secret);
    const first = JSON.parse(text.split('\n')[0]!);
    expect(first).toMatchObject({ level: 30, msg: 'login', pin: '[redacted]', request: { puk: '[redacted]', headers: { authorization: '[redacted]' } }, order: { accessToken: '[redacted]' } });
    expect(first.time).toMatch(/^\d{4}-\d\d-\d\dT/);
  });

  it('follow the level: debug lines are dropped at info', () => {
    const { log, file } = createAppLogger({ appDataDir: dir, level: 'info', stderr: false });
    log.debug('hidden');
    log.warn('shown');
    log.level = 'debug';
    log.debug('now shown');
    expect(readFileSync(file.path, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l).msg)).toEqual(['shown', 'now shown']);
  });
});
