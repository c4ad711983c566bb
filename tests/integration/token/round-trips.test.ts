/**
 * How many PKCS#11 calls a listing costs, counted by OpenSC's pkcs11-spy between the service and SoftHSM2
 * (cards are slow: every call is APDUs over USB). For comparison, `pkcs11-tool -O` on a token with 10
 * certificates and 10 public keys makes 281 calls.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTokenService } from '../../../src-main/token/token-service.js';
import { addKeyAndCertificate, createSoftHsm, createTestCa, issueCertificate, type SoftHsmToken } from '../../helpers/softhsm.js';

const spyPath = '/usr/lib/x86_64-linux-gnu/pkcs11/pkcs11-spy.so';
const hsm = createSoftHsm();
const log = join(hsm.dir, 'spy.log');
const certificates = 10;
let token: SoftHsmToken;

beforeAll(async () => {
  if (!existsSync(spyPath)) throw new Error(`OpenSC's pkcs11-spy is expected at ${spyPath}`);
  const ca = await createTestCa();
  token = hsm.createToken({ label: 'Ten certificates' });
  for (let i = 0; i < certificates; i++) {
    const id = (0x10 + i).toString(16);
    await addKeyAndCertificate(hsm, token, { id, label: `cert ${i}`, subject: `CN=Holder ${i}`, ca, keyType: 'EC:prime256v1' });
  }
  // pkcs11-spy reads these when it is loaded, i.e. in this process.
  process.env.PKCS11SPY = hsm.modulePath;
  process.env.PKCS11SPY_OUTPUT = log;
});

afterAll(() => hsm.cleanup());

function calls(): string[] {
  return readFileSync(log, 'utf8').split('\n').filter((line) => /^\d+: C_\w+/.test(line)).map((line) => /C_\w+/.exec(line)![0]);
}

it(`lists ${certificates} certificates with public-key evidence in few calls: one C_GetAttributeValue read per certificate object`, async () => {
  const service = createTokenService({ module: { path: spyPath, source: 'argument', name: null } });
  await service.listTokens();
  const before = calls().length;
  const list = await service.listCertificates({});
  const made = calls().slice(before);
  await service.close();

  expect(list.certificates).toHaveLength(certificates);
  expect(list.certificates.every((c) => c.readable && c.privateKeyEvidence === 'public-key-object')).toBe(true);
  const count = (name: string): number => made.filter((c) => c === name).length;
  // pkcs11js asks each C_GetAttributeValue twice (sizes, then values); per certificate: its value/id/label, and the public key's point.
  expect(count('C_GetAttributeValue')).toBe(2 * (certificates + certificates));
  expect(count('C_FindObjectsInit')).toBe(count('C_FindObjectsFinal'));
  console.info(`listCertificates, ${certificates} certificates: ${made.length} PKCS#11 calls`, Object.fromEntries([...new Set(made)].map((n) => [n, count(n)])));
  expect(made.length).toBeLessThan(150);
});

it('during a sitting, a second listing reads no objects; a write makes the next one read again', async () => {
  const service = createTokenService({ module: { path: spyPath, source: 'argument', name: null } });
  await service.login(token.slotId, token.pin);
  const first = await service.listCertificates({ slotId: token.slotId });
  const objectCalls = (from: number): number => calls().slice(from).filter((c) => /^C_(FindObjects|GetAttributeValue)/.test(c)).length;

  let mark = calls().length;
  const second = await service.listCertificates({ slotId: token.slotId });
  expect(objectCalls(mark)).toBe(0);
  expect(second).toEqual(first);

  await service.deleteObject(token.slotId, 'certificate', '10');
  mark = calls().length;
  const third = await service.listCertificates({ slotId: token.slotId });
  expect(objectCalls(mark)).toBeGreaterThan(0);
  expect(third.certificates).toHaveLength(certificates - 1);

  // After the sitting, every listing reads the card again.
  await service.logout(token.slotId);
  mark = calls().length;
  await service.listCertificates({ slotId: token.slotId });
  expect(objectCalls(mark)).toBeGreaterThan(0);
  await service.close();
});

it('one PIN entry per sitting: order, key generation, CSR, authorisation and certificate write make one C_Login', async () => {
  const service = createTokenService({ module: { path: spyPath, source: 'argument', name: null } });
  const mark = calls().length;
  await service.login(token.slotId, token.pin);
  const oldKey = service.signer(token.slotId, '11', 'ECDSA-P256-SHA256');
  await oldKey.sign(new TextEncoder().encode('order'));
  const newKey = await service.generateKeyPair(token.slotId, { type: 'EC', curve: 'P-256', label: 'renewed' });
  await service.signer(token.slotId, newKey.id, 'ECDSA-P256-SHA256').sign(new TextEncoder().encode('csr'));
  await oldKey.sign(new TextEncoder().encode('authorisation'));
  const { der } = await issueCertificate({ publicKeySpki: newKey.publicKeySpki, subject: 'CN=Renewed' });
  await service.writeCertificate(token.slotId, der, { label: 'renewed' });
  await service.listCertificates({ slotId: token.slotId });
  const made = calls().slice(mark);
  expect(made.filter((c) => c === 'C_Login')).toHaveLength(1);
  expect(made.filter((c) => c === 'C_Sign')).toHaveLength(3);
  expect(made.filter((c) => c === 'C_Finalize')).toHaveLength(0);
  await service.close();
  expect(calls().slice(mark).filter((c) => c === 'C_Logout')).toHaveLength(1);
});
