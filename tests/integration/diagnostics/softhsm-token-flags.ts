/**
 * SoftHSM2 has no PIN retry counter: wrong PINs never lock its tokens (checked: 11 wrong logins with
 * pkcs11-tool, the token still shows only "user PIN count low"). To test what Obnova says about a locked
 * card, this sets CKF_USER_PIN_LOCKED (and optionally CKF_SO_PIN_LOCKED) in the token flags SoftHSM persists
 * in its file object store (attribute CKA_OS_TOKENFLAGS, 0x8000534B, a big-endian 64-bit CK_ULONG);
 * SoftHSM then reports the flags in C_GetTokenInfo, as `pkcs11-tool -T` shows.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const CKF_USER_PIN_LOCKED = 0x0004_0000;
export const CKF_SO_PIN_LOCKED = 0x0040_0000;

/** Record header of CKA_OS_TOKENFLAGS in token.object: attribute type, then the ULONG value kind (2). */
const header = Buffer.from('000000008000534b0000000000000002', 'hex');

/** ORs `flags` into the persisted token flags of the SoftHSM token with this serial (in `<softhsm dir>/tokens`). */
export function setSoftHsmTokenFlags(softHsmDir: string, serial: string, flags: number): void {
  const tokensDir = join(softHsmDir, 'tokens');
  for (const folder of readdirSync(tokensDir)) {
    const path = join(tokensDir, folder, 'token.object');
    const data = readFileSync(path);
    if (!data.includes(Buffer.from(serial, 'latin1'))) continue;
    const at = data.indexOf(header);
    if (at < 0) throw new Error(`no CKA_OS_TOKENFLAGS record in ${path}`);
    const valueAt = at + header.length;
    data.writeBigUInt64BE(data.readBigUInt64BE(valueAt) | BigInt(flags), valueAt);
    writeFileSync(path, data);
    return;
  }
  throw new Error(`no SoftHSM token with serial ${serial} under ${tokensDir}`);
}
