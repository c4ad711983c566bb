/**
 * C_Login on a worker thread, for PIN-pad readers: with CKF_PROTECTED_AUTHENTICATION_PATH the call
 * returns only after the holder typed on the reader, and pkcs11js has no asynchronous C_Login. Session
 * handles belong to the process (PKCS#11 v2.40 §5.6), so a second binding of the same, already initialized
 * library in a worker can log the main thread's session in; the worker never calls C_Finalize.
 */
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import pkcs11js from 'pkcs11js';
import { toTokenError } from './pkcs11-errors.js';

const workerSource = `
const { parentPort, workerData } = require('node:worker_threads');
const pkcs11js = require(workerData.binding);
const lib = new pkcs11js.PKCS11();
try {
  lib.load(workerData.modulePath);
  try { lib.C_Initialize({ flags: pkcs11js.CKF_OS_LOCKING_OK }); } catch (e) { if (!/CKR_CRYPTOKI_ALREADY_INITIALIZED/.test(String(e && e.message))) throw e; }
  const session = Buffer.from(workerData.session);
  if (workerData.pin === null) lib.C_Login(session, workerData.userType);
  else lib.C_Login(session, workerData.userType, workerData.pin);
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
 * C_Login(session, userType, pin) in a worker; `pin` null means the reader asks for it. Resolves when
 * logged in, rejects with the coded error (CKR_PIN_INCORRECT → TOKEN_PIN_INCORRECT, …).
 */
export function loginOffThread(modulePath: string, session: Buffer, pin: string | null, userType: number = pkcs11js.CKU_USER): Promise<void> {
  const binding = createRequire(import.meta.url).resolve('pkcs11js');
  return new Promise((resolve, reject) => {
    const worker = new Worker(workerSource, { eval: true, workerData: { binding, modulePath, session: Uint8Array.from(session), pin, userType } });
    worker.once('message', (answer: { ok: boolean; code: number | null; message: string }) => {
      if (answer.ok) resolve();
      else reject(toTokenError(workerError(answer), 'C_Login'));
      void worker.terminate();
    });
    worker.once('error', (error) => reject(toTokenError(error, 'C_Login')));
  });
}
