/** Loading failures on real files: missing, not a library, a library without PKCS#11, C_Initialize refusing. */
import { existsSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { ObnovaError } from '../../../src-shared/contract/errors.js';
import { resolveModule } from '../../../src-main/token/module-resolver.js';
import { createTokenService } from '../../../src-main/token/token-service.js';
import { createSoftHsm } from '../../helpers/softhsm.js';

async function codeOf(promise: Promise<unknown>): Promise<{ code: string; details: unknown; message: string }> {
  try {
    await promise;
  } catch (error) {
    if (!(error instanceof ObnovaError)) throw error;
    return { code: error.code, details: error.details, message: error.message };
  }
  throw new Error('expected a failure');
}

const hsm = createSoftHsm();
afterAll(() => hsm.cleanup());

const service = (path: string) => createTokenService({ module: { path, source: 'argument', name: null } });

describe('module loading', () => {
  it('a module path that does not exist is TOKEN_MODULE_NOT_FOUND, from the resolver and from the service', async () => {
    expect(() => resolveModule({ argument: '/nonexistent/libpkcs11.so' })).toThrow(expect.objectContaining({ code: 'TOKEN_MODULE_NOT_FOUND' }));
    const s = service('/nonexistent/libpkcs11.so');
    const failure = await codeOf(s.listTokens());
    expect(failure).toMatchObject({ code: 'TOKEN_MODULE_NOT_FOUND', details: { path: '/nonexistent/libpkcs11.so' } });
    await s.close();
  });

  it.each([
    ['/etc/hostname', 'it is not a shared library for this platform'],
    ['/usr/lib/x86_64-linux-gnu/libc.so.6', 'it has no C_GetFunctionList'],
  ])('%s is TOKEN_MODULE_INVALID (%s)', async (path, reason) => {
    if (!existsSync(path)) throw new Error(`${path} is expected on the test machine`);
    const s = service(path);
    const failure = await codeOf(s.listCertificates({}));
    expect(failure).toMatchObject({ code: 'TOKEN_MODULE_INVALID', details: { path, reason } });
    expect(failure.message).not.toMatch(/\n|at /);
    await s.close();
  });

  it('C_Initialize failing (SoftHSM without its config file) is TOKEN_MODULE_INIT_FAILED, and a later call retries', async () => {
    const good = process.env.SOFTHSM2_CONF;
    process.env.SOFTHSM2_CONF = '/nonexistent/softhsm2.conf';
    const s = service(hsm.modulePath);
    try {
      const failure = await codeOf(s.listTokens());
      expect(failure).toMatchObject({ code: 'TOKEN_MODULE_INIT_FAILED', details: { path: hsm.modulePath, ckr: 'CKR_GENERAL_ERROR' } });
    } finally {
      process.env.SOFTHSM2_CONF = good;
    }
    const list = await s.listTokens();
    expect(list.tokens).toEqual([]);
    await s.close();
  });
});

describe('no token', () => {
  it('SoftHSM with only its empty, uninitialized slot lists no tokens and reports TOKEN_NOT_PRESENT for certificates', async () => {
    const s = service(hsm.modulePath);
    expect((await s.listTokens()).tokens).toEqual([]);
    expect(await codeOf(s.listCertificates({}))).toMatchObject({ code: 'TOKEN_NOT_PRESENT' });
    // The spare slot exists but holds no initialized token.
    const spare = /Slot \d+ \((0x[0-9a-f]+)\)/.exec(hsm.pkcs11Tool(['-L']))?.[1];
    expect(await codeOf(s.listCertificates({ slotId: BigInt(spare!).toString(10) }))).toMatchObject({ code: 'TOKEN_NOT_PRESENT' });
    await s.close();
  });
});
