/**
 * The acceptance case, with every fixture made by independent tools: the token by softhsm2-util, the key
 * pair on the token by pkcs11-tool, the certificate by openssl, written back by pkcs11-tool. Obnova's
 * reading must agree with what openssl and pkcs11-tool say about the same objects.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTokenService, type TokenService } from '../../../src-main/token/token-service.js';
import { createSoftHsm, type SoftHsmToken } from '../../helpers/softhsm.js';

const hsm = createSoftHsm();
const work = mkdtempSync(join(tmpdir(), 'obnova-accept-'));
const file = (name: string): string => join(work, name);
const openssl = (...args: string[]): string => execFileSync('openssl', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

let token: SoftHsmToken;
let service: TokenService;

beforeAll(() => {
  token = hsm.createToken({ label: 'Ana Novak card', pin: '4711', soPin: '87654321' });
  hsm.pkcs11Tool(['--token-label', token.label, '--login', '--pin', token.pin, '--keypairgen', '--key-type', 'rsa:2048', '--id', '4a01', '--label', 'Ana Novak']);
  hsm.pkcs11Tool(['--token-label', token.label, '--read-object', '--type', 'pubkey', '--id', '4a01', '--output-file', file('pub.der')]);
  openssl('pkey', '-pubin', '-inform', 'DER', '-in', file('pub.der'), '-out', file('pub.pem'));
  openssl('req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', file('ca.key'), '-out', file('ca.pem'),
    '-subj', '/C=SI/O=Independent Test CA/CN=Independent Test Qualified CA', '-days', '3650');
  // openssl cannot sign a request with the card key, so a throwaway key signs it and -force_pubkey puts the card's key in.
  openssl('req', '-new', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', file('throwaway.key'), '-out', file('req.csr'),
    '-subj', '/C=SI/O=Acme d.o.o./CN=Ana Novak');
  openssl('x509', '-req', '-in', file('req.csr'), '-CA', file('ca.pem'), '-CAkey', file('ca.key'), '-force_pubkey', file('pub.pem'),
    '-set_serial', '0x1A2B3C4D5E6F7081', '-days', '365', '-outform', 'DER', '-out', file('cert.der'));
  hsm.pkcs11Tool(['--token-label', token.label, '--login', '--pin', token.pin, '--write-object', file('cert.der'), '--type', 'cert', '--id', '4a01', '--label', 'Ana Novak']);
  service = createTokenService({ module: { path: hsm.modulePath, source: 'argument', name: null } });
});

afterAll(async () => {
  await service?.close();
  hsm.cleanup();
  rmSync(work, { recursive: true, force: true });
});

describe('a card made by softhsm2-util, pkcs11-tool and openssl', () => {
  it('lists the token as pkcs11-tool -L sees it', async () => {
    const list = await service.listTokens();
    expect(list.module).toMatchObject({ path: hsm.modulePath, source: 'argument', manufacturer: 'SoftHSM', cryptokiVersion: '2.40' });
    expect(list.tokens).toHaveLength(1);
    const [info] = list.tokens;
    const listing = hsm.pkcs11Tool(['-L']);
    const slotHex = /Slot \d+ \((0x[0-9a-f]+)\)[^\n]*\n\s+token label\s+: Ana Novak card/.exec(listing)?.[1];
    expect(slotHex).toBeDefined();
    expect(info?.slotId).toBe(BigInt(slotHex!).toString(10));
    expect(info?.slotId).toBe(token.slotId);
    expect(info?.serialNumber).toBe(/serial num\s+: (\S+)/.exec(listing)?.[1]);
    const pinRange = /pin min\/max\s+: (\d+)\/(\d+)/.exec(listing);
    expect(info?.pin).toMatchObject({ minLength: Number(pinRange?.[1]), maxLength: Number(pinRange?.[2]), locked: false, finalTry: false });
    expect(info).toMatchObject({ label: 'Ana Novak card', manufacturer: 'SoftHSM project', model: 'SoftHSM v2' });
  });

  it('reads the certificate: subject, serial and SHA-256 fingerprint agree with openssl, and the key is on the card', async () => {
    const { certificates, notices } = await service.listCertificates({});
    expect(notices).toEqual([]);
    expect(certificates).toHaveLength(1);
    const cert = certificates[0];
    if (!cert?.readable) throw new Error('certificate not readable');
    const fingerprint = /Fingerprint=([0-9A-F:]+)/.exec(openssl('x509', '-inform', 'DER', '-in', file('cert.der'), '-noout', '-fingerprint', '-sha256'))?.[1];
    const serial = /serial=([0-9A-F]+)/.exec(openssl('x509', '-inform', 'DER', '-in', file('cert.der'), '-noout', '-serial'))?.[1];
    // RFC 2253 minus dn_rev: @peculiar/x509 prints the name in ASN.1 order.
    const subject = openssl('x509', '-inform', 'DER', '-in', file('cert.der'), '-noout', '-subject', '-nameopt', 'esc_2253,utf8,sep_comma_plus,sname').replace(/^subject=/, '').trim();
    expect(cert.fingerprintSha256).toBe(fingerprint?.replace(/:/g, '').toLowerCase());
    expect(cert.serialNumber).toBe(serial?.toLowerCase());
    expect(cert.subject.replace(/,\s+/g, ',')).toBe(subject);
    expect(cert).toMatchObject({
      subjectCommonName: 'Ana Novak',
      issuerCommonName: 'Independent Test Qualified CA',
      objectId: '4a01',
      objectLabel: 'Ana Novak',
      tokenLabel: 'Ana Novak card',
      tokenSerial: token.serial,
      slotId: token.slotId,
      keyAlgorithm: { name: 'RSA', size: 2048, curve: null },
      hasPrivateKey: true,
      // SoftHSM hides the private key (CKA_PRIVATE) before login; the matching public key is the evidence.
      privateKeyEvidence: 'public-key-object',
      qualified: false,
    });
    expect(new Uint8Array(readFileSync(file('cert.der'))).byteLength).toBeGreaterThan(0);
  });

  it('needs no PIN: the private key stays invisible to a session without login', () => {
    const objects = hsm.pkcs11Tool(['--token-label', token.label, '--list-objects']);
    expect(objects).not.toMatch(/Private Key Object/);
    expect(objects).toMatch(/Certificate Object/);
  });
});
