/** listCertificates over SoftHSM tokens holding what real cards hold, made by the token factory. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ObnovaError } from '../../../src-shared/contract/errors.js';
import { certificateListSchema, type CertificateEntry, type CertificateSummary } from '../../../src-shared/contract/schemas/certificate.js';
import { tokenListSchema } from '../../../src-shared/contract/schemas/token.js';
import { createTokenService, type TokenService } from '../../../src-main/token/token-service.js';
import {
  addKeyAndCertificate,
  createSoftHsm,
  createTestCa,
  type SoftHsmToken,
  type TestCa,
  type WrittenCertificate,
  writeCertificate,
  writeRawCertificateObject,
} from '../../helpers/softhsm.js';

const hsm = createSoftHsm();
let service: TokenService;
let ca: TestCa;
let card: SoftHsmToken;
let spare: SoftHsmToken;
let empty: SoftHsmToken;
const made: Record<string, WrittenCertificate> = {};

beforeAll(async () => {
  ca = await createTestCa();
  card = hsm.createToken({ label: 'Qualified card' });
  spare = hsm.createToken({ label: 'Second card' });
  empty = hsm.createToken({ label: 'Empty card' });
  made.qualifiedRsa = await addKeyAndCertificate(hsm, card, { id: '01', label: 'Signing', subject: 'CN=Ana Novak,O=Acme,C=SI', ca, qualified: true });
  made.plainEc = await addKeyAndCertificate(hsm, card, { id: '02', label: 'Authentication', subject: 'CN=Ana Novak EC,C=SI', ca, keyType: 'EC:prime256v1' });
  made.visible = await addKeyAndCertificate(hsm, spare, { id: '0a', label: 'Visible key', subject: 'CN=Bor Kralj,C=RS', ca, qualified: true, visiblePrivateKey: true, keyType: 'EC:prime256v1' });
  // A certificate whose CKA_ID points at another certificate's key pair: the key does not match it.
  const other = await addKeyAndCertificate(hsm, spare, { id: '0b', label: 'Key owner', subject: 'CN=Key Owner', ca });
  const foreign = await addKeyAndCertificate(hsm, empty, { id: '0b', label: 'Foreign', subject: 'CN=Foreign', ca });
  hsm.deleteToken(empty.label);
  empty = hsm.createToken({ label: 'Empty card' });
  writeCertificate(hsm, spare, foreign.der, 'ff0b', 'No key at all');
  made.other = other;
  made.foreign = foreign;
  made.corrupt = { ...writeRawCertificateObject(hsm, spare, new Uint8Array([0x30, 0x82, 0x01, 0x00, 0x02, 0x01]), { id: 'ee01', label: 'Broken' }) } as WrittenCertificate;
  service = createTokenService({ module: { path: hsm.modulePath, source: 'probe', name: 'SoftHSM 2', id: 'softhsm2', tokenRescan: 'reinitialize' } });
});

afterAll(async () => {
  await service?.close();
  hsm.cleanup();
});

const readable = (entries: CertificateEntry[], label: string): CertificateSummary => {
  const entry = entries.find((e) => e.objectLabel === label);
  if (!entry?.readable) throw new Error(`no readable certificate labelled ${label}`);
  return entry;
};

describe('listTokens', () => {
  it('lists the three tokens with the slot IDs softhsm2-util reported, valid against the contract', async () => {
    const list = tokenListSchema.parse(await service.listTokens());
    expect(list.module.name).toBe('SoftHSM 2');
    expect(list.tokens.map((t) => [t.label, t.slotId, t.serialNumber]).sort()).toEqual(
      [card, spare, empty].map((t) => [t.label, t.slotId, t.serial]).sort(),
    );
  });
});

describe('listCertificates', () => {
  it('reads every token, and the whole answer matches the contract schema', async () => {
    const list = certificateListSchema.parse(await service.listCertificates({}));
    expect(list.certificates).toHaveLength(6);
    expect(list.notices).toEqual([{ code: 'TOKEN_NO_CERTIFICATES', slotId: empty.slotId, tokenLabel: 'Empty card' }]);
  });

  it('reports the qualified RSA certificate with the facts the factory made', async () => {
    const { certificates } = await service.listCertificates({ tokenLabel: 'Qualified card' });
    const cert = readable(certificates, 'Signing');
    expect(cert).toMatchObject({
      slotId: card.slotId,
      tokenSerial: card.serial,
      objectId: '01',
      subjectCommonName: 'Ana Novak',
      issuerCommonName: 'Obnova Test Qualified CA',
      serialNumber: made.qualifiedRsa!.serialNumber,
      fingerprintSha256: made.qualifiedRsa!.fingerprintSha256,
      keyAlgorithm: { name: 'RSA', size: 2048, curve: null },
      qualified: true,
      isCertificateAuthority: false,
      hasPrivateKey: true,
      privateKeyEvidence: 'public-key-object',
    });
  });

  it('reads an EC P-256 certificate that is not qualified', async () => {
    const cert = readable((await service.listCertificates({ slotId: card.slotId })).certificates, 'Authentication');
    expect(cert).toMatchObject({
      keyAlgorithm: { name: 'EC', size: 256, curve: 'P-256' },
      qualified: false,
      fingerprintSha256: made.plainEc!.fingerprintSha256,
      privateKeyEvidence: 'public-key-object',
      hasPrivateKey: true,
    });
  });

  it('uses a private key object visible without login as the evidence', async () => {
    const cert = readable((await service.listCertificates({ tokenLabel: 'Second card' })).certificates, 'Visible key');
    expect(cert).toMatchObject({ privateKeyEvidence: 'private-key-object', hasPrivateKey: true, qualified: true, subjectCommonName: 'Bor Kralj' });
  });

  it('says none when the public key under the same CKA_ID is a different key, or when there is no key', async () => {
    const { certificates } = await service.listCertificates({ tokenLabel: 'Second card' });
    expect(readable(certificates, 'Key owner')).toMatchObject({ privateKeyEvidence: 'public-key-object', hasPrivateKey: true });
    expect(readable(certificates, 'No key at all')).toMatchObject({ privateKeyEvidence: 'none', hasPrivateKey: false, objectId: 'ff0b' });
  });

  it('keeps a certificate object with corrupt DER as an unreadable entry instead of failing the list', async () => {
    const { certificates } = await service.listCertificates({ slotId: spare.slotId });
    expect(certificates).toHaveLength(4);
    expect(certificates.find((c) => c.objectLabel === 'Broken')).toMatchObject({
      readable: false,
      objectId: 'ee01',
      slotId: spare.slotId,
      tokenLabel: 'Second card',
      problem: { code: 'CERT_PARSE_FAILED' },
    });
  });

  it('chooses one token by label or by slot ID, and only that one', async () => {
    const byLabel = await service.listCertificates({ tokenLabel: 'Qualified card' });
    const bySlot = await service.listCertificates({ slotId: card.slotId });
    expect(byLabel).toEqual(bySlot);
    expect(new Set(byLabel.certificates.map((c) => c.tokenLabel))).toEqual(new Set(['Qualified card']));
    expect(byLabel.certificates.map((c) => c.objectLabel).sort()).toEqual(['Authentication', 'Signing']);
    const emptyOnly = await service.listCertificates({ tokenLabel: 'Empty card' });
    expect(emptyOnly).toEqual({ certificates: [], notices: [{ code: 'TOKEN_NO_CERTIFICATES', slotId: empty.slotId, tokenLabel: 'Empty card' }] });
  });

  it('answers TOKEN_SLOT_NOT_FOUND for an unknown slot ID or label', async () => {
    await expect(service.listCertificates({ slotId: '999999' })).rejects.toMatchObject({ code: 'TOKEN_SLOT_NOT_FOUND', details: { slotId: '999999' } });
    await expect(service.listCertificates({ tokenLabel: 'No such card' })).rejects.toBeInstanceOf(ObnovaError);
    await expect(service.listCertificates({ tokenLabel: 'No such card' })).rejects.toMatchObject({ code: 'TOKEN_SLOT_NOT_FOUND' });
  });

  it('serves calls made at the same time one after another', async () => {
    const [a, b, c] = await Promise.all([service.listCertificates({}), service.listTokens(), service.listCertificates({ slotId: card.slotId })]);
    expect(a.certificates).toHaveLength(6);
    expect(b.tokens).toHaveLength(3);
    expect(c.certificates).toHaveLength(2);
  });
});
