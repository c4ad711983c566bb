/**
 * The PKCS#11 call trace for PIN-pad calls, which run on a second binding in a worker (pin-off-thread.ts):
 * the main side lists each as one call of its library, with the result the worker got — and a call still
 * waiting on the reader when the trace stops is kept as not returned. SoftHSM behind the card shim
 * (tests/helpers/pkcs11-card-shim) plays the PIN-pad reader.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readTrace, startTraceFile } from '../../../src-main/diagnostics/pkcs11-trace.js';
import { CallTrace, type TraceSink } from '../../../src-main/token/call-trace.js';
import { createTokenService } from '../../../src-main/token/token-service.js';
import { type CardShim, createCardShim } from '../../helpers/pkcs11-card-shim/card-shim.js';
import { createSoftHsm, type SoftHsmToken } from '../../helpers/softhsm.js';

const hsm = createSoftHsm();
let shim: CardShim;
let pad: SoftHsmToken;
let work: string;
const onPad = { pinPad: true } as const;

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'obnova-trace-pad-'));
  pad = hsm.createToken({ label: 'Pad card', pin: 'PadPin-3344', soPin: 'PadPuk-7766' });
  shim = createCardShim(hsm, { pinPad: [pad.serial] });
});
afterAll(() => {
  hsm.cleanup();
  rmSync(work, { recursive: true, force: true });
});

const serviceTracedBy = (trace: TraceSink) =>
  createTokenService({ module: { path: shim.modulePath, source: 'argument', name: 'SoftHSM 2', tokenRescan: 'reinitialize', pinUnblockStrategy: 'so-login-init-pin' }, trace });

describe('PIN-pad calls in the trace', () => {
  it('a login on the pad is one C_Login of the main library, made in the worker; Cancel on the reader shows as CKR_FUNCTION_CANCELED', async () => {
    const trace = new CallTrace();
    const service = serviceTracedBy(trace);
    try {
      shim.typeOnPad('CANCEL');
      await expect(service.login(pad.slotId, onPad)).rejects.toMatchObject({ code: 'CANCELLED' });
      shim.typeOnPad(pad.pin);
      await service.login(pad.slotId, onPad);
    } finally {
      await service.close();
    }
    const entries = trace.entries();
    expect(entries.filter((e) => e.fn === 'C_Login')).toEqual([
      expect.objectContaining({ rv: 'CKR_FUNCTION_CANCELED', offThread: 'worker', module: shim.modulePath }),
      expect.objectContaining({ rv: 'CKR_OK', offThread: 'worker', module: shim.modulePath }),
    ]);
    // The worker's own C_GetFunctionList and C_Initialize are not listed: the main binding made only one of each.
    expect(entries.filter((e) => e.fn === 'C_GetFunctionList')).toHaveLength(1);
    expect(entries.filter((e) => e.fn === 'C_Initialize' && e.offThread !== undefined)).toEqual([]);
    for (const entry of entries) expect(entry.durationMs).toBeGreaterThanOrEqual(0);
  });

  it('a PIN change still waiting on the reader when the trace stops is written with rv and durationMs null', async () => {
    const outPath = join(work, 'trace.jsonl');
    const file = startTraceFile(outPath);
    let waiting!: () => void;
    const setPinStarted = new Promise<void>((resolve) => (waiting = resolve));
    // Forwards to the file, and says when the worker's C_SetPIN has begun.
    const sink: TraceSink = {
      begin(call) {
        const end = file.sink.begin(call);
        if (call.fn === 'C_SetPIN') waiting();
        return end;
      },
    };
    const service = serviceTracedBy(sink);
    try {
      const change = service.changePin(pad.slotId, onPad, onPad);
      await setPinStarted;
      const { calls } = file.stop();
      shim.typeOnPad(pad.pin, 'NewPadPin-2468');
      await change;
      const entries = readTrace(outPath);
      expect(entries).toHaveLength(calls);
      expect(entries.at(-1)).toMatchObject({ fn: 'C_SetPIN', rv: null, durationMs: null, offThread: 'worker', module: shim.modulePath });
      expect(entries.slice(0, -1).every((e) => typeof e.rv === 'string')).toBe(true);
      expect(readFileSync(outPath, 'utf8')).not.toMatch(/PadPin|PadPuk/);
    } finally {
      await service.close();
    }
  });
});
