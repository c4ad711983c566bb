/** Issuance from PKCS#10 under the qualified profiles, accepted by openssl and certtool, on SQLite and PostgreSQL. */
import 'reflect-metadata';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Authority } from '../../../src-service/ca/authority.js';
import { issueCertificate } from '../../../src-service/ca/issuance.js';
import { listAudit } from '../../../src-service/db/audit-log.js';
import { openDatabase, type DatabaseHandle } from '../../../src-service/db/connection.js';
import { createHolder } from '../../../src-service/db/holders-repository.js';
import { unloadAllModules } from '../../../src-service/hsm/pkcs11-module.js';
import { ObnovaError } from '../../../src-shared/contract/errors.js';
import { Certificate } from '../../../src-shared/pki/certificate.js';
import { createTestCa, type TestCa } from '../../helpers/service/ca-factory.js';
import { makeCsr, tamperSignature } from '../../helpers/service/csr.js';
import { runTool, tool } from '../../helpers/service/openssl.js';
import { useSoftHsmEnv } from '../../helpers/service/softhsm-env.js';

const hsm = useSoftHsmEnv();
afterAll(() => {
  unloadAllModules();
  hsm.cleanup();
});

async function refusal(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof ObnovaError) return error.code;
    throw error;
  }
  return 'ISSUED';
}

describe.each(['sqlite', 'postgres'] as const)('issuance on %s', (dbKind) => {
  let ca: TestCa;
  let authority: Authority;
  let handle: DatabaseHandle;

  beforeAll(async () => {
    ca = await createTestCa({ db: dbKind });
    authority = await Authority.open(ca.config);
    handle = openDatabase(ca.config.database);
  });
  afterAll(async () => {
    authority?.close();
    await handle?.db.destroy();
    await ca?.cleanup();
  });

  it('makes a root and an issuing CA that openssl chains', () => {
    const out = runTool('openssl', ['verify', '-CAfile', ca.config.certificates.root, ca.config.certificates.issuing]);
    expect(out.stdout).toContain(': OK');
    const ocsp = runTool('openssl', ['verify', '-CAfile', ca.config.certificates.root, '-untrusted', ca.config.certificates.issuing, ca.config.certificates.ocsp]);
    expect(ocsp.stdout).toContain(': OK');
  });

  it('issues a qualified natural-person certificate that openssl and certtool accept', async () => {
    const holder = await createHolder(
      handle.db,
      { kind: 'natural', country: 'SI', givenName: 'Ana', surname: 'Novak', personalNumber: '0101990500123', email: 'ana.novak@example.si' },
      'test',
    );
    const { pem } = await makeCsr('RSA-2048', 'CN=Ana Novak');
    const { certificate, record, chain } = await issueCertificate(authority, handle.db, { csr: pem, holderId: holder.id, actor: 'test' });
    expect(chain).toHaveLength(2);
    const file = join(ca.dir, `natural-${dbKind}.pem`);
    writeFileSync(file, certificate.toString('pem'));
    const verify = runTool('openssl', ['verify', '-CAfile', ca.config.certificates.root, '-untrusted', ca.config.certificates.issuing, file]);
    expect(verify.stdout).toContain(': OK');
    const text = tool('openssl', ['x509', '-in', file, '-noout', '-text']);
    expect(text).toContain('0.4.0.194112.1.2');
    expect(text).toContain('qcStatements');
    expect(text).toContain('Non Repudiation');
    expect(text).toContain('TLS Web Client Authentication, E-mail Protection');
    expect(text).toContain('OCSP - URI:http://127.0.0.1');
    expect(text).toContain('/crl/issuing.crl');
    expect(text).toMatch(/serialNumber ?= ?PNOSI-0101990500123/);
    expect(text).toContain('email:ana.novak@example.si');
    const certtool = tool('certtool', ['-i', '--infile', file]);
    expect(certtool).toContain('0.4.0.194112.1.2');
    expect(certtool).toMatch(/1\.3\.6\.1\.5\.5\.7\.1\.3|qcStatements/);
    const parsed = await Certificate.fromDer(new Uint8Array(certificate.rawData));
    expect(parsed.isQualified).toBe(true);
    expect(parsed.qcStatementIds).toEqual(expect.arrayContaining(['0.4.0.1862.1.1', '0.4.0.1862.1.4', '0.4.0.1862.1.6', '0.4.0.1862.1.5']));
    // 20-byte positive serial
    expect(record.serial).toMatch(/^[0-7][0-9a-f]{39}$/);
    expect(record.serial).not.toMatch(/^00/);
    const years = (parsed.notAfter.getTime() - parsed.notBefore.getTime()) / (365.25 * 86400_000);
    expect(years).toBeGreaterThan(4.99);
    const audit = await listAudit(handle.db, record.serial);
    expect(audit.map((a) => a.action)).toEqual(['certificate.issue']);
  });

  it('issues a qualified legal-person (seal) certificate with the representative', async () => {
    const holder = await createHolder(
      handle.db,
      { kind: 'legal', country: 'SI', legalName: 'Demo d.o.o.', organizationId: '12345678', givenName: 'Marko', surname: 'Kranjc', personalNumber: '0202980500456' },
      'test',
    );
    const { pem } = await makeCsr('EC-P256');
    const { certificate } = await issueCertificate(authority, handle.db, { csr: pem, holderId: holder.id, actor: 'test' });
    const file = join(ca.dir, `legal-${dbKind}.pem`);
    writeFileSync(file, certificate.toString('pem'));
    expect(runTool('openssl', ['verify', '-CAfile', ca.config.certificates.root, '-untrusted', ca.config.certificates.issuing, file]).stdout).toContain(': OK');
    const text = tool('openssl', ['x509', '-in', file, '-noout', '-text', '-nameopt', 'oneline']);
    expect(text).toContain('0.4.0.194112.1.3');
    expect(text).toMatch(/organizationIdentifier = VATSI-12345678/);
    expect(text).not.toContain('Key Encipherment');
  });

  it('refuses bad requests with stable codes and stores nothing', async () => {
    const holder = await createHolder(handle.db, { kind: 'natural', country: 'SI', givenName: 'Eva', surname: 'Zupan', personalNumber: '0303970500789' }, 'test');
    const weak = await makeCsr('RSA-1024');
    expect(await refusal(issueCertificate(authority, handle.db, { csr: weak.pem, holderId: holder.id, actor: 'test' }))).toBe('CA_CSR_WEAK_KEY');
    const good = await makeCsr('EC-P256');
    expect(await refusal(issueCertificate(authority, handle.db, { csr: tamperSignature(good.der), holderId: holder.id, actor: 'test' }))).toBe(
      'CA_CSR_BAD_SIGNATURE',
    );
    const foreign = await makeCsr('EC-P256', 'CN=Somebody Else, C=SI');
    expect(await refusal(issueCertificate(authority, handle.db, { csr: foreign.pem, holderId: holder.id, actor: 'test' }))).toBe('CA_CSR_SUBJECT_MISMATCH');
    expect(await refusal(issueCertificate(authority, handle.db, { csr: good.pem, holderId: 'HNOBODY', actor: 'test' }))).toBe('CA_HOLDER_NOT_FOUND');
    expect(await refusal(issueCertificate(authority, handle.db, { csr: 'garbage', holderId: holder.id, actor: 'test' }))).toBe('CA_CSR_INVALID');
    expect(
      await refusal(issueCertificate(authority, handle.db, { csr: good.pem, holderId: holder.id, profileId: 'qualified-legal-person', actor: 'test' })),
    ).toBe('CA_PROFILE_HOLDER_MISMATCH');
    const stored = await handle.db.selectFrom('certificates').select('serial').where('holder_id', '=', holder.id).execute();
    expect(stored).toHaveLength(0);
    const matching = await makeCsr('EC-P256', 'CN=Eva Zupan, C=SI');
    const ok = await issueCertificate(authority, handle.db, { csr: matching.pem, holderId: holder.id, actor: 'test' });
    expect(ok.certificate.subject).toContain('CN=Eva Zupan');
  });

  it('keeps the audit log append-only in the database itself', async () => {
    await expect(handle.db.deleteFrom('audit_log').execute()).rejects.toThrow(/append-only/);
    await expect(handle.db.updateTable('audit_log').set({ actor: 'x' }).execute()).rejects.toThrow(/append-only/);
  });
});
