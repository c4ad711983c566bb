import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Certificate } from '../../../src-shared/pki/certificate.js';
import { validateChain } from '../../../src-shared/pki/chain.js';
import { toPem } from '../../../src-shared/pki/pem.js';
import { createTestPki, issue, type Issued, tempDir, type TestPki, writeIssued } from '../../helpers/pki/pki-factory.js';
import { openssl } from '../../helpers/pki/openssl.js';

let pki: TestPki;
let dir: string;
let issuedByEndEntity: Issued;

/** openssl's numeric verify error → our code (X509_V_ERR_*). */
const opensslCodes: Record<string, string> = {
  '7': 'CERT_BAD_SIGNATURE',
  '9': 'CERT_NOT_YET_VALID',
  '10': 'CERT_EXPIRED',
  '20': 'CERT_UNTRUSTED_ISSUER',
  '24': 'CERT_ISSUER_NOT_CA',
  '79': 'CERT_ISSUER_NOT_CA',
};

function opensslVerdict(der: Uint8Array, at?: Date): { ok: boolean; code: string | null; raw: string } {
  const leaf = join(dir, 'leaf.pem');
  writeFileSync(leaf, toPem(der, 'CERTIFICATE'));
  const args = ['verify', '-CAfile', join(dir, 'root.pem'), '-untrusted', join(dir, 'untrusted.pem')];
  if (at) args.push('-attime', String(Math.floor(at.getTime() / 1000)));
  const r = openssl([...args, leaf]);
  const m = /error (\d+) at/.exec(r.stdout + r.stderr);
  return { ok: r.status === 0, code: m ? (opensslCodes[m[1]!] ?? `openssl-${m[1]}`) : null, raw: r.stdout + r.stderr };
}

beforeAll(async () => {
  pki = await createTestPki();
  dir = tempDir();
  await writeIssued(dir, 'root', pki.root);
  issuedByEndEntity = await issue({ subject: 'CN=Issued By A Holder,C=SI', issuer: pki.person });
  writeFileSync(join(dir, 'untrusted.pem'), [pki.issuing, pki.person].map((i) => toPem(i.der, 'CERTIFICATE')).join(''));
}, 30_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function ours(der: Uint8Array, at?: Date): Promise<{ ok: boolean; code: string | null }> {
  const cert = await Certificate.fromDer(der);
  const r = await validateChain(cert, { trustAnchors: [pki.root.certificate], intermediates: [pki.issuing.certificate, pki.person.certificate], at });
  return { ok: r.ok, code: r.ok ? null : r.code };
}

describe('chain validation gives the same verdict as openssl verify', () => {
  const cases: [string, () => Uint8Array, string | null][] = [
    ['valid qualified certificate', () => pki.person.der, null],
    ['valid legal person seal', () => pki.legal.der, null],
    ['expired certificate', () => pki.expired.der, 'CERT_EXPIRED'],
    ['not yet valid certificate', () => pki.notYetValid.der, 'CERT_NOT_YET_VALID'],
    ['certificate from another CA', () => pki.fromOtherCa.der, 'CERT_UNTRUSTED_ISSUER'],
    ['tampered certificate', () => pki.tamperedDer, 'CERT_BAD_SIGNATURE'],
    ['certificate issued by an end entity', () => issuedByEndEntity.der, 'CERT_ISSUER_NOT_CA'],
  ];
  it.each(cases)('%s', async (_name, der, expected) => {
    const theirs = opensslVerdict(der());
    const mine = await ours(der());
    expect(mine.code).toBe(expected);
    expect(mine.ok, theirs.raw).toBe(theirs.ok);
    expect(theirs.code, theirs.raw).toBe(expected);
  });

  it('validates at a given time like openssl -attime', async () => {
    const later = new Date(pki.person.certificate.notAfter.getTime() + 86_400_000);
    expect(await ours(pki.person.der, later)).toEqual({ ok: false, code: 'CERT_EXPIRED' });
    expect(opensslVerdict(pki.person.der, later).code).toBe('CERT_EXPIRED');
    // While the expired certificate was valid, its CAs (issued yesterday) were not yet: both tools blame the CA.
    const during = new Date(pki.expired.certificate.notAfter.getTime() - 86_400_000);
    expect(await ours(pki.expired.der, during)).toEqual({ ok: false, code: 'CERT_NOT_YET_VALID' });
    expect(opensslVerdict(pki.expired.der, during).code).toBe('CERT_NOT_YET_VALID');
    const soon = new Date(Date.now() + 3_600_000);
    expect(await ours(pki.person.der, soon)).toEqual({ ok: true, code: null });
    expect(opensslVerdict(pki.person.der, soon).ok).toBe(true);
  });

  it('returns the path leaf first and can require a qualified certificate', async () => {
    const r = await validateChain(pki.plain.certificate, { trustAnchors: [pki.root.certificate], intermediates: [pki.issuing.certificate], requireQualified: true });
    expect(r.ok ? null : r.code).toBe('CERT_NOT_QUALIFIED');
    const ok = await validateChain(pki.person.certificate, { trustAnchors: [pki.root.certificate], intermediates: [pki.issuing.certificate], requireQualified: true });
    expect(ok.ok && ok.path.map((c) => c.subjectCommonName)).toEqual(['Ana Novak', 'Obnova Test Qualified CA', 'Obnova Test Root CA']);
  });

  it('a missing intermediate is CERT_UNTRUSTED_ISSUER', async () => {
    const r = await validateChain(pki.person.certificate, { trustAnchors: [pki.root.certificate] });
    expect(r.ok ? null : r.code).toBe('CERT_UNTRUSTED_ISSUER');
  });
});

describe('chain validation of odd certificates', () => {
  it('an unknown signature algorithm OID is a coded verdict, not a throw', async () => {
    // ecdsa-with-SHA256 (…04 03 02) → …04 03 09 in the outer signatureAlgorithm, the last occurrence.
    const der = pki.person.der.slice();
    const oid = [0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x04, 0x03, 0x02];
    let last = -1;
    for (let i = 0; i < der.length - oid.length; i++) if (oid.every((b, j) => der[i + j] === b)) last = i;
    der[last + oid.length - 1] = 0x09;
    const r = await validateChain(await Certificate.fromDer(der), { trustAnchors: [pki.root.certificate], intermediates: [pki.issuing.certificate] });
    expect(r.ok ? null : r.code).toBe('PKI_ALGORITHM_UNSUPPORTED');
    expect(opensslVerdict(der).ok).toBe(false);
  });
});
