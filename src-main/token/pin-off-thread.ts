/**
 * C_Login, C_SetPIN and C_InitPIN on a worker thread, for PIN-pad readers: with
 * CKF_PROTECTED_AUTHENTICATION_PATH the call returns only after the holder typed on the reader, and
 * pkcs11js has no asynchronous PIN calls. Session handles belong to the process (PKCS#11 v2.40 §5.6), so a
 * second binding of the same, already initialized library in a worker can act on the main thread's
 * session; the worker never calls C_Finalize.
 *
 * A PIN of null means "the reader asks for it". PKCS#11 v2.40 §5.6 says to pass NULL_PTR then, but
 * pkcs11js 2.1.7 only passes strings, so the worker passes an empty PIN (a valid pointer, length 0) — which
 * OpenSC's module turns into the pad entry itself (framework-pkcs15.c: "if (ulPinLen == 0) pPin = NULL").
 * A middleware that insists on NULL_PTR needs a binding that can send it; this is the one place to change.
 */
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import pkcs11js from 'pkcs11js';
import { toTokenError } from './pkcs11-errors.js';

/** One PIN call; a null PIN is entered on the reader's pad. */
export type PinCall =
  | { fn: 'C_Login'; userType: number; pin: string | null }
  | { fn: 'C_SetPIN'; oldPin: string | null; newPin: string | null }
  | { fn: 'C_InitPIN'; pin: string | null };

const workerSource = `
const { parentPort, workerData } = require('node:worker_threads');
const pkcs11js = require(workerData.binding);
const lib = new pkcs11js.PKCS11();
const onPad = (pin) => (pin === null ? '' : pin);
try {
  lib.load(workerData.modulePath);
  try { lib.C_Initialize({ flags: pkcs11js.CKF_OS_LOCKING_OK }); } catch (e) { if (!/CKR_CRYPTOKI_ALREADY_INITIALIZED/.test(String(e && e.message))) throw e; }
  const session = Buffer.from(workerData.session);
  const call = workerData.call;
  if (call.fn === 'C_Login') lib.C_Login(session, call.userType, onPad(call.pin));
  else if (call.fn === 'C_SetPIN') lib.C_SetPIN(session, onPad(call.oldPin), onPad(call.newPin));
  else lib.C_InitPIN(session, onPad(call.pin));
  parentPort.postMessage({ ok: true });
} catch (e) {
  parentPort.postMessage({ ok: false, code: typeof e.code === 'number' ? e.code : null, message: /CKR_[A-Z_]+:\\d+/.exec(String(e && e.message))?.[0] ?? 'failed' });
}
`;

/** A pkcs11js-shaped error from the worker's answer (only the CKR value crosses, never the arguments). */
function workerError(answer: { code: number | null; message: string }): Error {
  const error = new Error(answer.message);
  error.name = answer.code === null ? 'NativeError' : 'Pkcs11Error';
  (error as { code?: number }).code = answer.code ?? undefined;
  return error;
}

/**
 * Runs one PIN call on `session` in a worker. Resolves when the call returned CKR_OK, rejects with the
 * coded error (CKR_PIN_INCORRECT → TOKEN_PIN_INCORRECT, CKR_FUNCTION_CANCELED → CANCELLED, …).
 */
export function pinCallOffThread(modulePath: string, session: Buffer, call: PinCall): Promise<void> {
  const binding = createRequire(import.meta.url).resolve('pkcs11js');
  return new Promise((resolve, reject) => {
    const worker = new Worker(workerSource, { eval: true, workerData: { binding, modulePath, session: Uint8Array.from(session), call } });
    worker.once('message', (answer: { ok: boolean; code: number | null; message: string }) => {
      if (answer.ok) resolve();
      else reject(toTokenError(workerError(answer), call.fn));
      void worker.terminate();
    });
    worker.once('error', (error) => reject(toTokenError(error, call.fn)));
  });
}

/** C_Login(session, userType, pin) in a worker; `pin` null means the reader asks for it. */
export function loginOffThread(modulePath: string, session: Buffer, pin: string | null, userType: number = pkcs11js.CKU_USER): Promise<void> {
  return pinCallOffThread(modulePath, session, { fn: 'C_Login', userType, pin });
}
