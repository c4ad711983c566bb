/** The test token factory itself, checked with independent tools (pkcs11-tool, openssl). */
import { execFileSync } from 'node:child_process';
import { afterAll, expect, it } from 'vitest';
import { createTokenService } from '../../../src-main/token/token-service.js';
import { createSoftHsm } from '../../helpers/softhsm.js';

const hsm = createSoftHsm();
afterAll(() => hsm.cleanup());

const opensslText = (der: Uint8Array): string =>
  execFileSync('openssl', ['x509', '-inform', 'DER', '-noout', '-text', '-nameopt', 'esc_2253,utf8,sep_comma_plus,sname'], { input: der, encoding: 'utf8' });

it('makes a sensitive, never-extractable key on the token and a qualified certificate openssl agrees with', async () => {
  const token = hsm.createToken({ label: 'Factory', pin: '246810' });
  expect(token).toMatchObject({ label: 'Factory', pin: '246810', soPin: '12345678' });
  expect(token.slotId).toMatch(/^\d+$/);
  expect(token.serial).toMatch(/^[0-9a-f]{16}$/);
  const made = await hsm.addKeyAndCertificate(token, {
    id: '01',
    label: 'Ana Novak',
    subject: { commonName: 'Ana Novak', givenName: 'Ana', surname: 'Novak', serialNumber: 'PNOSI-1234567890123', country: 'SI' },
    qualified: true,
    notBefore: new Date('2026-01-01T00:00:00Z'),
    notAfter: new Date('2028-01-01T00:00:00Z'),
  });
  const text = opensslText(made.der);
  expect(text).toContain('Subject: C=SI,SN=Novak,GN=Ana,serialNumber=PNOSI-1234567890123,CN=Ana Novak');
  expect(text).toMatch(/Not Before: Jan\s+1 00:00:00 2026 GMT/);
  // QcStatements (RFC 3739) holding QcCompliance 0.4.0.1862.1.1: 30 0a 30 08 06 06 04 00 8e 46 01 01.
  expect(text).toContain('qcStatements');
  expect(Buffer.from(made.der).includes(Buffer.from('300a300806060400 8e460101'.replace(/ /g, ''), 'hex'))).toBe(true);
  expect(made.serialNumber).toBe(/Serial Number:\s*\n?\s*([0-9a-f:]+)/.exec(text)?.[1]?.replace(/:/g, ''));

  const objects = hsm.pkcs11Tool(['--token-label', 'Factory', '--login', '--pin', '246810', '--list-objects']);
  expect(objects).toMatch(/Private Key Object; RSA[\s\S]*?ID:\s+01[\s\S]*?Access:\s+sensitive, always sensitive, never extractable, local/);
  expect(objects).toMatch(/Certificate Object; type = X\.509 cert\s+label:\s+Ana Novak/);

  const service = createTokenService({ module: { path: hsm.modulePath, source: 'argument', name: null } });
  const [cert] = (await service.listCertificates({})).certificates;
  await service.close();
  expect(cert).toMatchObject({ readable: true, qualified: true, subjectCommonName: 'Ana Novak', notAfter: '2028-01-01T00:00:00.000Z', fingerprintSha256: made.fingerprintSha256 });
});

it('writes bytes that are not a certificate as a certificate object', () => {
  const token = hsm.createToken({ label: 'Raw' });
  const raw = hsm.writeRawCertificateObject(token, new Uint8Array([1, 2, 3]), { id: 'aa', label: 'junk' });
  expect(raw.fingerprintSha256).toMatch(/^[0-9a-f]{64}$/);
  expect(hsm.pkcs11Tool(['--token-label', 'Raw', '--list-objects', '--type', 'cert'])).toMatch(/label:\s+junk/);
});
