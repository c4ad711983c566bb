/**
 * The PKCS#11 call trace on SoftHSM through OpenSC's pkcs11-spy: calls, return values and times are
 * recorded, the PIN is not — while the spy's own log file, for comparison, holds the PIN in clear.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { writeFileSync } from 'node:fs';
import { findSpy, readTrace, startPkcs11Trace } from '../../../src-main/diagnostics/pkcs11-trace.js';
import { createTokenService } from '../../../src-main/token/token-service.js';
import { createSoftHsm, type SoftHsm, type SoftHsmToken } from '../../helpers/softhsm.js';

let hsm: SoftHsm;
let token: SoftHsmToken;
let work: string;
const pin = '73915';

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'obnova-trace-test-'));
  hsm = createSoftHsm();
  token = hsm.createToken({ label: 'Traced card', pin });
});

afterAll(() => {
  hsm?.cleanup();
  rmSync(work, { recursive: true, force: true });
});

describe('PKCS#11 call trace', () => {
  it('pkcs11-spy is installed (opensc-pkcs11)', () => {
    expect(findSpy()).not.toBeNull();
  });

  it('for comparison: pkcs11-spy’s own log holds the PIN in clear', () => {
    const log = join(work, 'spy.log');
    execFileSync('pkcs11-tool', ['--module', findSpy()!, '--token-label', token.label, '--login', '--pin', pin, '--list-objects'], {
      env: { ...hsm.env, PKCS11SPY: hsm.modulePath, PKCS11SPY_OUTPUT: log },
      stdio: 'ignore',
    });
    expect(readFileSync(log, 'latin1')).toContain(pin);
  });

  it('records Obnova’s calls with return values and times, and no PIN; nothing but the trace is left on disk', async () => {
    const outPath = join(work, 'trace.jsonl');
    const trace = await startPkcs11Trace({ realModule: hsm.modulePath, outPath });
    const service = createTokenService({ module: { path: trace.modulePath, source: 'argument', name: null, tokenRescan: 'slot-list' } });
    const list = await service.listTokens();
    expect(list.tokens.map((t) => t.label)).toContain('Traced card');
    await service.login(token.slotId, pin);
    await expect(service.login(token.slotId, '00000')).resolves.toBeDefined(); // already logged in: no second C_Login
    await service.close();
    const { calls } = await trace.stop();

    const text = readFileSync(outPath, 'utf8');
    const entries = readTrace(outPath);
    expect(entries).toHaveLength(calls);
    const names = entries.map((e) => e.fn);
    expect(names).toEqual(expect.arrayContaining(['C_Initialize', 'C_GetSlotList', 'C_GetTokenInfo', 'C_OpenSession', 'C_Login', 'C_Finalize']));
    expect(entries.find((e) => e.fn === 'C_Login')).toMatchObject({ rv: 'CKR_OK', startedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}$/) });
    expect(entries.slice(0, -1).every((e) => typeof e.durationMs === 'number' && e.durationMs >= 0)).toBe(true);
    expect(text).not.toContain(pin);
    expect(Object.keys(entries[0]!).sort()).toEqual(['durationMs', 'fn', 'rv', 'seq', 'startedAt']);
    // The FIFO and its folder are gone; no spy log was written anywhere in the work folder.
    expect(readdirSync(work).filter((f) => f !== 'spy.log').sort()).toEqual(['trace.jsonl']);
    expect(process.env.PKCS11SPY_OUTPUT).toBeUndefined();
  });

  it('a wrong PIN shows as CKR_PIN_INCORRECT, still without the PIN', async () => {
    const outPath = join(work, 'trace-wrong.jsonl');
    const trace = await startPkcs11Trace({ realModule: hsm.modulePath, outPath });
    const service = createTokenService({ module: { path: trace.modulePath, source: 'argument', name: null, tokenRescan: 'slot-list' } });
    await expect(service.login(token.slotId, '86420')).rejects.toMatchObject({ code: 'TOKEN_PIN_INCORRECT' });
    await service.close();
    await trace.stop();
    const text = readFileSync(outPath, 'utf8');
    expect(text).toContain('"fn":"C_Login","rv":"CKR_PIN_INCORRECT"');
    expect(text).not.toContain('86420');
    expect(existsSync(outPath)).toBe(true);
  });
});

describe('spy output parser (the reader child fed through a FIFO)', () => {
  it('keeps call, time and return value and nothing of the arguments', async () => {
    const outPath = join(work, 'trace-recorded.jsonl');
    const env: NodeJS.ProcessEnv = {};
    const trace = await startPkcs11Trace({ realModule: '/unused', outPath, env });
    const recorded = [
      '7: C_Login',
      '2026-11-26 00:08:35.514',
      '[in] hSession = 0x1',
      '[in] userType = CKU_USER',
      '[in] pPin[ulPinLen] 00007ffe7fea2a48 / 4',
      '    00000000  34 33 32 31                                      4321            ',
      'Returned:  0 CKR_OK',
      '',
      '8: C_GetTokenInfo',
      '2026-11-26 00:08:35.519',
      "      label:                  'L                               '",
      'Returned:  0 CKR_OK',
      '',
    ].join('\n');
    // As the spy does: open the FIFO for appending and write the text.
    writeFileSync(env.PKCS11SPY_OUTPUT!, recorded, { flag: 'a' });
    await trace.stop();
    expect(readTrace(outPath)).toEqual([
      { seq: 7, fn: 'C_Login', rv: 'CKR_OK', startedAt: '2026-11-26T00:08:35.514', durationMs: 5 },
      { seq: 8, fn: 'C_GetTokenInfo', rv: 'CKR_OK', startedAt: '2026-11-26T00:08:35.519', durationMs: null },
    ]);
    expect(readFileSync(outPath, 'utf8')).not.toContain('4321');

  });
});
