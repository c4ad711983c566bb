import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ObnovaError } from '../../../src-shared/contract/errors.js';
import { expandEnvVars, platformKey, resolveModule } from '../../../src-main/token/module-resolver.js';
import { findNativeConfigDir, type Pkcs11ModuleEntry } from '../../../src-main/token/native-config.js';

const modules: Pkcs11ModuleEntry[] = [
  { id: 'softhsm2', name: 'SoftHSM 2', vendor: 'x', platforms: { 'linux-x64': ['/soft/libsofthsm2.so'] }, testOnly: true, tokenRescan: 'reinitialize' },
  { id: 'nexus', name: 'Nexus Personal', vendor: 'x', platforms: { 'linux-x64': ['/a/libpersonal.so', '/b/libpersonal.so'], 'win32-x64': ['%SystemRoot%\\System32\\personal64.dll'] } },
  { id: 'opensc', name: 'OpenSC', vendor: 'x', platforms: { 'linux-x64': ['/c/opensc-pkcs11.so'] } },
];

function thrown(fn: () => unknown): ObnovaError {
  try {
    fn();
  } catch (error) {
    if (error instanceof ObnovaError) return error;
    throw error;
  }
  throw new Error('expected a throw');
}

const made: string[] = [];
const tempDir = (): string => {
  const dir = mkdtempSync(join(tmpdir(), 'obnova-nc-'));
  made.push(dir);
  return dir;
};
afterAll(() => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});

const only = (...paths: string[]) => (p: string) => paths.includes(p);
const linux = { platform: 'linux' as const, arch: 'x64', modules };

describe('resolveModule', () => {
  it('takes --module first, even when OBNOVA_PKCS11_MODULE is set', () => {
    const r = resolveModule({ ...linux, argument: '/x/arg.so', env: { OBNOVA_PKCS11_MODULE: '/x/env.so' }, fileExists: only('/x/arg.so', '/x/env.so') });
    expect(r).toMatchObject({ path: '/x/arg.so', source: 'argument', name: null });
  });

  it('takes OBNOVA_PKCS11_MODULE when there is no argument and names a known file', () => {
    const r = resolveModule({ ...linux, env: { OBNOVA_PKCS11_MODULE: '/elsewhere/libsofthsm2.so' }, fileExists: only('/elsewhere/libsofthsm2.so') });
    expect(r).toEqual({ path: '/elsewhere/libsofthsm2.so', source: 'environment', name: 'SoftHSM 2', id: 'softhsm2', tokenRescan: 'reinitialize' });
  });

  it('reports a missing explicit path as TOKEN_MODULE_NOT_FOUND with the path', () => {
    const e = thrown(() => resolveModule({ ...linux, argument: '/nope.so', env: {}, fileExists: () => false }));
    expect(e.code).toBe('TOKEN_MODULE_NOT_FOUND');
    expect(e.details).toMatchObject({ path: '/nope.so', source: 'argument' });
    const e2 = thrown(() => resolveModule({ ...linux, env: { OBNOVA_PKCS11_MODULE: '/nope2.so' }, fileExists: () => false }));
    expect(e2.details).toMatchObject({ path: '/nope2.so', source: 'environment' });
  });

  it('probes in file order and puts test-only modules last', () => {
    const r = resolveModule({ ...linux, env: {}, fileExists: only('/soft/libsofthsm2.so', '/b/libpersonal.so', '/c/opensc-pkcs11.so') });
    expect(r).toMatchObject({ path: '/b/libpersonal.so', source: 'probe', name: 'Nexus Personal', id: 'nexus' });
    const soft = resolveModule({ ...linux, env: {}, fileExists: only('/soft/libsofthsm2.so') });
    expect(soft).toMatchObject({ path: '/soft/libsofthsm2.so', name: 'SoftHSM 2' });
  });

  it('says how many candidates were tried when nothing is installed', () => {
    const e = thrown(() => resolveModule({ ...linux, env: {}, fileExists: () => false }));
    expect(e.code).toBe('TOKEN_MODULE_NOT_CONFIGURED');
    expect(e.details).toMatchObject({ candidatesTried: 4, platform: 'linux-x64' });
  });

  it('expands %VAR% on Windows and skips candidates whose variable is unset', () => {
    const r = resolveModule({ modules, platform: 'win32', arch: 'x64', env: { SYSTEMROOT: 'C:\\Windows' }, fileExists: only('C:\\Windows\\System32\\personal64.dll') });
    expect(r).toMatchObject({ path: 'C:\\Windows\\System32\\personal64.dll', name: 'Nexus Personal' });
    const e = thrown(() => resolveModule({ modules, platform: 'win32', arch: 'x64', env: {}, fileExists: () => true }));
    expect(e.details).toMatchObject({ candidatesTried: 0 });
  });

  it('finds nothing on a platform the config does not cover', () => {
    const e = thrown(() => resolveModule({ modules, platform: 'freebsd', arch: 'x64', env: {}, fileExists: () => true }));
    expect(e.code).toBe('TOKEN_MODULE_NOT_CONFIGURED');
    expect(e.details).toMatchObject({ platform: 'freebsd-x64' });
  });

  it('reads the committed native-config when no entries are passed, and probes this machine', () => {
    const r = resolveModule({ env: {}, platform: 'linux', arch: 'x64', fileExists: only('/usr/lib/softhsm/libsofthsm2.so') });
    expect(r).toMatchObject({ path: '/usr/lib/softhsm/libsofthsm2.so', source: 'probe', name: 'SoftHSM 2', tokenRescan: 'reinitialize' });
  });

  it('honours OBNOVA_NATIVE_CONFIG_DIR', () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'nc'));
    writeFileSync(join(dir, 'nc', 'pkcs11-modules.json'), JSON.stringify({ modules: [{ id: 'only', name: 'Only', vendor: 'v', platforms: { 'linux-x64': ['/only.so'] } }] }));
    const env = { OBNOVA_NATIVE_CONFIG_DIR: join(dir, 'nc') };
    expect(findNativeConfigDir({ env })).toBe(join(dir, 'nc'));
    expect(resolveModule({ env, platform: 'linux', arch: 'x64', fileExists: only('/only.so') })).toMatchObject({ name: 'Only' });
    const e = thrown(() => findNativeConfigDir({ env: { OBNOVA_NATIVE_CONFIG_DIR: dir } }));
    expect(e.code).toBe('TOKEN_MODULE_NOT_CONFIGURED');
  });

  it('rejects a native-config that breaks its schema', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'pkcs11-modules.json'), JSON.stringify({ modules: [{ id: 'Bad Id', name: 'x', vendor: 'v', platforms: {} }] }));
    const e = thrown(() => resolveModule({ nativeConfigDir: dir, env: {}, platform: 'linux', arch: 'x64', fileExists: () => true }));
    expect(e.code).toBe('TOKEN_MODULE_NOT_CONFIGURED');
    expect(String(e.details?.issue)).toContain('modules.0.id');
  });
});

describe('helpers', () => {
  it('maps platform and arch to config keys', () => {
    expect(platformKey('win32', 'ia32')).toBe('win32-ia32');
    expect(platformKey('darwin', 'arm64')).toBe('darwin-arm64');
    expect(platformKey('linux', 'ppc64')).toBeNull();
  });
  it('expands variables case-insensitively', () => {
    expect(expandEnvVars('%programfiles%\\x', { ProgramFiles: 'C:\\PF' })).toBe('C:\\PF\\x');
    expect(expandEnvVars('%NOPE%\\x', {})).toBeNull();
    expect(expandEnvVars('/plain', {})).toBe('/plain');
  });
});
