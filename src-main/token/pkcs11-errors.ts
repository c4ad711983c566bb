/**
 * The one place that turns PKCS#11 return values and library-loading failures into coded errors.
 * Messages name the function and the CKR_* value, never a native stack trace or a PIN.
 */
import pkcs11js from 'pkcs11js';
import { type ErrorCode, ObnovaError } from '../../src-shared/contract/errors.js';

/** CKR_* values with a meaning the app acts on (PKCS#11 v2.40 §5.1); everything else is TOKEN_PKCS11_ERROR. */
const ckrToCode: Readonly<Record<string, ErrorCode>> = {
  CKR_PIN_INCORRECT: 'TOKEN_PIN_INCORRECT',
  CKR_PIN_LOCKED: 'TOKEN_PIN_LOCKED',
  CKR_PIN_LEN_RANGE: 'TOKEN_PIN_LEN_RANGE',
  CKR_PIN_EXPIRED: 'TOKEN_PIN_EXPIRED',
  CKR_USER_NOT_LOGGED_IN: 'TOKEN_NOT_LOGGED_IN',
  CKR_DEVICE_REMOVED: 'TOKEN_REMOVED',
  CKR_TOKEN_NOT_PRESENT: 'TOKEN_REMOVED',
  CKR_SESSION_HANDLE_INVALID: 'TOKEN_REMOVED',
  CKR_SESSION_CLOSED: 'TOKEN_REMOVED',
  CKR_SLOT_ID_INVALID: 'TOKEN_SLOT_NOT_FOUND',
  CKR_DEVICE_MEMORY: 'TOKEN_MEMORY_FULL',
  CKR_MECHANISM_INVALID: 'TOKEN_MECHANISM_UNSUPPORTED',
  CKR_TOKEN_WRITE_PROTECTED: 'TOKEN_WRITE_PROTECTED',
  CKR_SESSION_COUNT: 'TOKEN_BUSY',
  CKR_FUNCTION_CANCELED: 'CANCELLED',
  CKR_PIN_INVALID: 'TOKEN_PIN_INVALID',
  CKR_TOKEN_NOT_RECOGNIZED: 'TOKEN_REMOVED',
  CKR_MECHANISM_PARAM_INVALID: 'TOKEN_MECHANISM_UNSUPPORTED',
  CKR_KEY_SIZE_RANGE: 'TOKEN_MECHANISM_UNSUPPORTED',
  CKR_KEY_TYPE_INCONSISTENT: 'TOKEN_MECHANISM_UNSUPPORTED',
  CKR_KEY_FUNCTION_NOT_PERMITTED: 'TOKEN_MECHANISM_UNSUPPORTED',
  CKR_TEMPLATE_INCONSISTENT: 'TOKEN_MECHANISM_UNSUPPORTED',
  CKR_SESSION_READ_ONLY: 'TOKEN_WRITE_PROTECTED',
  CKR_SESSION_READ_ONLY_EXISTS: 'TOKEN_BUSY',
  CKR_USER_ANOTHER_ALREADY_LOGGED_IN: 'TOKEN_BUSY',
  CKR_OPERATION_ACTIVE: 'TOKEN_BUSY',
  CKR_SESSION_EXISTS: 'TOKEN_BUSY',
  CKR_KEY_HANDLE_INVALID: 'TOKEN_KEY_NOT_FOUND',
  CKR_OBJECT_HANDLE_INVALID: 'TOKEN_OBJECT_NOT_FOUND',
};

const ckrNames: ReadonlyMap<number, string> = new Map(
  Object.entries(pkcs11js as unknown as Record<string, unknown>)
    .filter((entry): entry is [string, number] => entry[0].startsWith('CKR_') && typeof entry[1] === 'number')
    .map(([name, value]) => [value, name]),
);

/** The CKR_* name of a return value, or its hex form for vendor-defined values. */
export function ckrName(value: number): string {
  return ckrNames.get(value) ?? `CKR_0x${value.toString(16).padStart(8, '0')}`;
}

/** A pkcs11js Pkcs11Error carries the return value in `code` and `CKR_NAME` as its message. */
function returnValueOf(error: unknown): number | null {
  if (!(error instanceof Error)) return null;
  const code = (error as { code?: unknown }).code;
  if (error.name === 'Pkcs11Error' && typeof code === 'number') return code;
  const match = /\b(CKR_[A-Z_]+):(\d+)/.exec(error.message);
  return match ? Number(match[2]) : null;
}

/**
 * What a trace shows for a failed call: its CKR_* name (also from an ObnovaError made of one), else the
 * binding's error name (NativeError, TypeError). Never the message: it is not ours to vouch for.
 */
export function traceRvOf(error: unknown): string {
  if (error instanceof ObnovaError) return typeof error.details?.ckr === 'string' ? error.details.ckr : error.code;
  const value = returnValueOf(error);
  if (value !== null) return ckrName(value);
  return error instanceof Error ? error.name : 'Error';
}

/** The contract code for a CKR_* name. */
export function codeForCkr(name: string): ErrorCode {
  return ckrToCode[name] ?? 'TOKEN_PKCS11_ERROR';
}

/**
 * Any error thrown by a PKCS#11 call as an ObnovaError; `operation` names the call (e.g. "C_GetTokenInfo").
 * ObnovaErrors pass through unchanged.
 */
export function toTokenError(error: unknown, operation: string): ObnovaError {
  if (error instanceof ObnovaError) return error;
  const value = returnValueOf(error);
  if (value === null) {
    // A NativeError without a return value (e.g. a wrong argument): keep only which call failed.
    return new ObnovaError('TOKEN_PKCS11_ERROR', `${operation} failed inside the PKCS#11 binding`, { operation, ckr: null }, { cause: error });
  }
  const name = ckrName(value);
  return new ObnovaError(codeForCkr(name), `${operation} returned ${name}`, { operation, ckr: name }, { cause: error });
}

/**
 * A failure of dlopen/LoadLibrary as an ObnovaError: a missing file is TOKEN_MODULE_NOT_FOUND, a file that
 * loads but is no PKCS#11 library (no C_GetFunctionList, not a shared object) is TOKEN_MODULE_INVALID.
 */
export function toModuleLoadError(error: unknown, path: string, fileExists: boolean): ObnovaError {
  if (!fileExists) return new ObnovaError('TOKEN_MODULE_NOT_FOUND', 'the PKCS#11 module file does not exist', { path });
  const text = error instanceof Error ? error.message : '';
  // dlerror()/LoadLibrary text without the path, which is in details already.
  const reason = /C_GetFunctionList/.test(text)
    ? 'it has no C_GetFunctionList'
    : /too short|invalid ELF|not a valid|wrong ELF class|Exec format|mach-o|%1/i.test(text)
      ? 'it is not a shared library for this platform'
      : 'the library could not be loaded';
  return new ObnovaError('TOKEN_MODULE_INVALID', `the file is not a usable PKCS#11 module: ${reason}`, { path, reason }, { cause: error });
}

/** C_Initialize failed: TOKEN_MODULE_INIT_FAILED with the return value's name. */
export function toModuleInitError(error: unknown, path: string): ObnovaError {
  const value = returnValueOf(error);
  return new ObnovaError('TOKEN_MODULE_INIT_FAILED', `C_Initialize returned ${value === null ? 'an error' : ckrName(value)}`, {
    path,
    ckr: value === null ? null : ckrName(value),
  }, { cause: error });
}
