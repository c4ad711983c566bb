// Runs one PKCS#11 write in its own process (so the test process's module state is untouched) for
// what pkcs11-tool refuses: a certificate object with arbitrary bytes, a key pair whose private key is public.
// Usage: node pkcs11-child.mjs '<json>'  with { op, module, tokenLabel, pin, id, label, value? }
import pkcs11js from 'pkcs11js';

const args = JSON.parse(process.argv[2]);
const lib = new pkcs11js.PKCS11();
lib.load(args.module);
lib.C_Initialize();
try {
  const slot = lib.C_GetSlotList(true).find((s) => lib.C_GetTokenInfo(s).label.trim() === args.tokenLabel);
  if (!slot) throw new Error(`no token labelled ${args.tokenLabel}`);
  const session = lib.C_OpenSession(slot, pkcs11js.CKF_SERIAL_SESSION | pkcs11js.CKF_RW_SESSION);
  lib.C_Login(session, pkcs11js.CKU_USER, args.pin);
  const id = Buffer.from(args.id, 'hex');
  if (args.op === 'raw-cert') {
    lib.C_CreateObject(session, [
      { type: pkcs11js.CKA_CLASS, value: pkcs11js.CKO_CERTIFICATE },
      { type: pkcs11js.CKA_CERTIFICATE_TYPE, value: pkcs11js.CKC_X_509 },
      { type: pkcs11js.CKA_TOKEN, value: true },
      { type: pkcs11js.CKA_PRIVATE, value: false },
      { type: pkcs11js.CKA_ID, value: id },
      { type: pkcs11js.CKA_LABEL, value: args.label },
      { type: pkcs11js.CKA_SUBJECT, value: Buffer.from('3000', 'hex') },
      { type: pkcs11js.CKA_VALUE, value: Buffer.from(args.value, 'hex') },
    ]);
  } else if (args.op === 'public-private-key') {
    // EC P-256 pair whose private key object is visible without login (CKA_PRIVATE false), sensitive.
    const keys = lib.C_GenerateKeyPair(session, { mechanism: pkcs11js.CKM_EC_KEY_PAIR_GEN }, [
      { type: pkcs11js.CKA_TOKEN, value: true },
      { type: pkcs11js.CKA_ID, value: id },
      { type: pkcs11js.CKA_LABEL, value: args.label },
      { type: pkcs11js.CKA_VERIFY, value: true },
      { type: pkcs11js.CKA_EC_PARAMS, value: Buffer.from('06082a8648ce3d030107', 'hex') },
    ], [
      { type: pkcs11js.CKA_TOKEN, value: true },
      { type: pkcs11js.CKA_PRIVATE, value: false },
      { type: pkcs11js.CKA_SENSITIVE, value: true },
      { type: pkcs11js.CKA_EXTRACTABLE, value: false },
      { type: pkcs11js.CKA_ID, value: id },
      { type: pkcs11js.CKA_LABEL, value: args.label },
      { type: pkcs11js.CKA_SIGN, value: true },
    ]);
    void keys;
  } else if (args.op === 'always-authenticate-key') {
    // EC P-256 pair whose private key wants a context-specific login before every signature.
    lib.C_GenerateKeyPair(session, { mechanism: pkcs11js.CKM_EC_KEY_PAIR_GEN }, [
      { type: pkcs11js.CKA_TOKEN, value: true },
      { type: pkcs11js.CKA_ID, value: id },
      { type: pkcs11js.CKA_LABEL, value: args.label },
      { type: pkcs11js.CKA_VERIFY, value: true },
      { type: pkcs11js.CKA_EC_PARAMS, value: Buffer.from('06082a8648ce3d030107', 'hex') },
    ], [
      { type: pkcs11js.CKA_TOKEN, value: true },
      { type: pkcs11js.CKA_PRIVATE, value: true },
      { type: pkcs11js.CKA_SENSITIVE, value: true },
      { type: pkcs11js.CKA_EXTRACTABLE, value: false },
      { type: pkcs11js.CKA_ALWAYS_AUTHENTICATE, value: true },
      { type: pkcs11js.CKA_ID, value: id },
      { type: pkcs11js.CKA_LABEL, value: args.label },
      { type: pkcs11js.CKA_SIGN, value: true },
    ]);
  } else {
    throw new Error(`unknown op ${args.op}`);
  }
  lib.C_Logout(session);
  lib.C_CloseSession(session);
} finally {
  lib.C_Finalize();
  lib.close();
}
