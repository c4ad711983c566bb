/**
 * The PKCS#11 call trace (src-main/token/call-trace.ts, written by src-main/diagnostics/pkcs11-trace.ts) on
 * SoftHSM: the calls Obnova makes, cross-checked against OpenSC's pkcs11-spy as an independent observer
 * standing between the binding and SoftHSM; return values and durations; and no PIN, PUK or signature in it
 * — while the spy's own log, for comparison, holds the PIN in clear.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readTrace, startTraceFile } from '../../../src-main/diagnostics/pkcs11-trace.js';
import { CallTrace, type TraceEntry } from '../../../src-main/token/call-trace.js';
import { createTokenService } from '../../../src-main/token/token-service.js';
import { createSoftHsm, type SoftHsm, type SoftHsmToken } from '../../helpers/softhsm.js';

/** Where Debian/Ubuntu (opensc-pkcs11) and Fedora put pkcs11-spy. */
const spyPath = ['/usr/lib/x86_64-linux-gnu/pkcs11/pkcs11-spy.so', '/usr/lib/aarch64-linux-gnu/pkcs11/pkcs11-spy.so', '/usr/lib64/pkcs11/pkcs11-spy.so'].find((p) => existsSync(p));

let hsm: SoftHsm;
let spied: SoftHsmToken;
let traced: SoftHsmToken;
let work: string;
// Letters in every secret: none can turn up by chance among the trace's numbers and timestamps.
const spiedPin = 'spy-pin-4711';
const secrets = { pin: 'Pin-73915', wrongPin: 'Wrong-86420', newPin: 'NewPin-52468', puk: 'Puk-13579246', afterUnblock: 'Unblocked-9753' };

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'obnova-trace-test-'));
  hsm = createSoftHsm();
  spied = hsm.createToken({ label: 'Spied card', pin: spiedPin });
  traced = hsm.createToken({ label: 'Traced card', pin: secrets.pin, soPin: secrets.puk });
});

afterAll(() => {
  hsm?.cleanup();
  rmSync(work, { recursive: true, force: true });
});

/** The spy's log as calls: "N: C_Name", a time line, arguments, "Returned:  0 CKR_OK". */
function spyCalls(log: string): Array<{ fn: string; rv: string | null }> {
  const calls: Array<{ fn: string; rv: string | null }> = [];
  for (const line of log.split('\n')) {
    const head = /^\d+: (C_\w+)\s*$/.exec(line);
    if (head) calls.push({ fn: head[1]!, rv: null });
    const returned = /^Returned:\s+\d+\s+(CKR_\w+)/.exec(line);
    if (returned && calls.length > 0) calls[calls.length - 1]!.rv = returned[1]!;
  }
  return calls;
}

/**
 * pkcs11js makes two calls into the library for one binding call of these functions — the length query
 * (NULL buffer) and then the fill — unless the first fails; the trace, taken at the binding, lists one.
 */
const twoStep = new Set(['C_GetSlotList', 'C_GetMechanismList', 'C_GetAttributeValue', 'C_GetOperationState']);

/** Our entries matched one by one against the spy's calls; returns the spy calls left over (none expected). */
function matchAgainstSpy(ours: TraceEntry[], spy: Array<{ fn: string; rv: string | null }>): Array<{ fn: string; rv: string | null }> {
  let j = 0;
  for (const entry of ours) {
    const first = spy[j];
    expect({ seq: entry.seq, fn: first?.fn }).toEqual({ seq: entry.seq, fn: entry.fn });
    let last = first!;
    j += 1;
    if (twoStep.has(entry.fn) && first!.rv === 'CKR_OK') {
      last = spy[j]!;
      expect({ seq: entry.seq, fn: last?.fn }).toEqual({ seq: entry.seq, fn: entry.fn });
      j += 1;
    }
    expect({ seq: entry.seq, fn: entry.fn, rv: entry.rv }).toEqual({ seq: entry.seq, fn: entry.fn, rv: last.rv });
  }
  return spy.slice(j);
}

describe('PKCS#11 call trace, cross-checked by pkcs11-spy', () => {
  it('pkcs11-spy is installed (opensc-pkcs11)', () => {
    expect(spyPath).toBeDefined();
  });

  it('lists exactly the calls the spy sees between Obnova and SoftHSM, with the same return values', async () => {
    const spyLog = join(work, 'spy.log');
    // pkcs11-spy reads these with getenv when it is loaded, i.e. in this process.
    process.env.PKCS11SPY = hsm.modulePath;
    process.env.PKCS11SPY_OUTPUT = spyLog;
    const trace = new CallTrace();
    const service = createTokenService({ module: { path: spyPath!, source: 'argument', name: null, tokenRescan: 'slot-list' }, trace });
    try {
      expect((await service.listTokens()).tokens.map((t) => t.label).sort()).toEqual(['Spied card', 'Traced card']);
      await expect(service.login(spied.slotId, 'not-the-pin')).rejects.toMatchObject({ code: 'TOKEN_PIN_INCORRECT' });
      await service.login(spied.slotId, spiedPin);
      const key = await service.generateKeyPair(spied.slotId, { type: 'EC', curve: 'P-256', label: 'Spied key' });
      await service.signer(spied.slotId, key.id, 'ECDSA-P256-SHA256').sign(new TextEncoder().encode('spied data'));
      await service.changePin(spied.slotId, spiedPin, `${spiedPin}-2`);
      await service.listCertificates({});
    } finally {
      await service.close();
      delete process.env.PKCS11SPY;
      delete process.env.PKCS11SPY_OUTPUT;
    }
    const ours = trace.entries();
    const spy = spyCalls(readFileSync(spyLog, 'latin1'));
    // The spy saw at least this much; the walk below checks the rest call by call.
    expect(spy.length).toBeGreaterThan(30);
    // The trace starts before the binding loads the library, so even C_GetFunctionList is in both.
    expect(ours[0]).toMatchObject({ fn: 'C_GetFunctionList', rv: 'CKR_OK', module: spyPath });
    expect(matchAgainstSpy(ours, spy)).toEqual([]);
    expect(ours.map((e) => e.fn)).toEqual(expect.arrayContaining(['C_Login', 'C_GenerateKeyPair', 'C_SignInit', 'C_Sign', 'C_SetPIN', 'C_Finalize']));
    expect(new Set(ours.map((e) => e.module))).toEqual(new Set([spyPath]));
  });

  it('for comparison: the spy’s own log holds the PIN in clear', () => {
    expect(readFileSync(join(work, 'spy.log'), 'latin1')).toContain(spiedPin);
  });
});

describe('PKCS#11 call trace file', () => {
  it('wrong then right PIN, PIN change, signature, unblock with the PUK: all there by name and result, no secret and no signature in the file', async () => {
    const outPath = join(work, 'trace.jsonl');
    const file = startTraceFile(outPath);
    const service = createTokenService({ module: { path: hsm.modulePath, source: 'argument', name: null, tokenRescan: 'slot-list' }, trace: file.sink });
    let signature: Uint8Array;
    try {
      await expect(service.login(traced.slotId, secrets.wrongPin)).rejects.toMatchObject({ code: 'TOKEN_PIN_INCORRECT' });
      await service.login(traced.slotId, secrets.pin);
      await service.changePin(traced.slotId, secrets.pin, secrets.newPin);
      const key = await service.generateKeyPair(traced.slotId, { type: 'EC', curve: 'P-256', label: 'Traced key' });
      signature = await service.signer(traced.slotId, key.id, 'ECDSA-P256-SHA256').sign(new TextEncoder().encode('traced data'));
      await service.logout(traced.slotId);
      await service.unblockPin(traced.slotId, secrets.puk, secrets.afterUnblock);
      await service.login(traced.slotId, secrets.afterUnblock);
    } finally {
      await service.close();
    }
    const { calls, path } = file.stop();
    expect(path).toBe(outPath);

    const text = readFileSync(outPath, 'utf8');
    const entries = readTrace(outPath);
    expect(entries).toHaveLength(calls);
    expect(entries.map((e) => e.seq)).toEqual(entries.map((_, i) => i + 1));
    const pinCalls = entries.filter((e) => ['C_Login', 'C_SetPIN', 'C_InitPIN', 'C_SignInit', 'C_Sign'].includes(e.fn)).map((e) => `${e.fn} ${e.rv}`);
    expect(pinCalls).toEqual([
      'C_Login CKR_PIN_INCORRECT',
      'C_Login CKR_OK',
      'C_SetPIN CKR_OK',
      'C_SignInit CKR_OK',
      'C_Sign CKR_OK',
      'C_Login CKR_OK', // the SO login with the PUK
      'C_InitPIN CKR_OK',
      'C_Login CKR_OK',
    ]);
    // SoftHSM accepts CKF_OS_LOCKING_OK, so the signature and the key generation ran on libuv's pool.
    expect(entries.find((e) => e.fn === 'C_Sign')?.offThread).toBe('libuv');
    expect(entries.find((e) => e.fn === 'C_GenerateKeyPair')?.offThread).toBe('libuv');

    for (const secret of Object.values(secrets)) expect(text).not.toContain(secret);
    const bytes = Buffer.from(signature!);
    expect(bytes.length).toBeGreaterThan(60);
    for (const form of [bytes.toString('hex'), bytes.toString('hex').toUpperCase(), bytes.toString('base64'), bytes.toString('base64url')]) expect(text).not.toContain(form);
    // Only these fields, ever: nothing of the arguments or results can be in a line.
    for (const entry of entries) expect(Object.keys(entry).every((k) => ['seq', 'fn', 'rv', 'startedAt', 'durationMs', 'module', 'offThread'].includes(k))).toBe(true);
    expect(new Set(entries.map((e) => e.module))).toEqual(new Set([hsm.modulePath]));
  });

  it('durations are numbers ≥ 0 and start times ISO instants, in call order', () => {
    const entries = readTrace(join(work, 'trace.jsonl'));
    for (const entry of entries) {
      expect(typeof entry.durationMs).toBe('number');
      expect(entry.durationMs).toBeGreaterThanOrEqual(0);
      expect(entry.startedAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    }
    const starts = entries.map((e) => Date.parse(e.startedAt));
    expect([...starts].sort((a, b) => a - b)).toEqual(starts);
  });

  it('a trace that only hands calls on (as the file does) keeps none of them once they ended, and hands them on in start order', async () => {
    const handed: TraceEntry[] = [];
    const trace = new CallTrace({ keep: false, onEntry: (entry) => handed.push(entry) });
    const service = createTokenService({ module: { path: hsm.modulePath, source: 'argument', name: null, tokenRescan: 'slot-list' }, trace });
    await service.listTokens();
    await service.close();
    expect(trace.entries()).toEqual([]);
    expect(handed.length).toBe(trace.size);
    expect(handed.map((e) => e.seq)).toEqual(handed.map((_, i) => i + 1));
    expect(handed.at(-1)).toMatchObject({ fn: 'C_Finalize', rv: 'CKR_OK' });
  });
});
