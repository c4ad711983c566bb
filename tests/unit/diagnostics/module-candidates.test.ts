import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { moduleCandidates } from '../../../src-main/diagnostics/module-probe.js';
import type { Pkcs11ModuleEntry } from '../../../src-main/token/native-config.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'obnova-candidates-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const entry = (id: string, paths: string[], testOnly = false): Pkcs11ModuleEntry => ({ id, name: id, vendor: 'v', platforms: { 'linux-x64': paths }, ...(testOnly ? { testOnly } : {}) });

describe('which modules diagnostics tries', () => {
  it('argument first, then Settings paths, then installed middleware (test-only last); one per library file', () => {
    const real = join(dir, 'libreal.so');
    const test = join(dir, 'libtest.so');
    writeFileSync(real, '');
    writeFileSync(test, '');
    const link = join(dir, 'liblink.so');
    symlinkSync(real, link);
    const modules = [entry('test', [test], true), entry('real', [join(dir, 'absent.so'), link, real])];
    const out = moduleCandidates({ argument: '/opt/x.so', extraPaths: ['/opt/y.so', '/opt/x.so'], context: { modules, env: {}, platform: 'linux', arch: 'x64' } });
    expect(out.map((c) => [c.path, c.source, c.entry?.id ?? null])).toEqual([
      ['/opt/x.so', 'argument', null],
      ['/opt/y.so', 'settings', null],
      [link, 'probe', 'real'],
      [test, 'probe', 'test'],
    ]);
  });

  it('OBNOVA_PKCS11_MODULE stands in for a missing argument; pkcs11-spy counts as the module it forwards to', () => {
    const real = join(dir, 'libreal.so');
    writeFileSync(real, '');
    const spy = join(dir, 'pkcs11-spy.so');
    writeFileSync(spy, '');
    const env = { OBNOVA_PKCS11_MODULE: spy, PKCS11SPY: real };
    const out = moduleCandidates({ extraPaths: [], context: { modules: [entry('real', [real])], env, platform: 'linux', arch: 'x64' } });
    expect(out.map((c) => [c.path, c.source])).toEqual([[spy, 'environment']]);
  });

  it('knows nothing installed on a platform the middleware list does not cover', () => {
    const real = join(dir, 'libreal.so');
    writeFileSync(real, '');
    expect(moduleCandidates({ extraPaths: [], context: { modules: [entry('real', [real])], env: {}, platform: 'freebsd', arch: 'x64' } })).toEqual([]);
  });
});
