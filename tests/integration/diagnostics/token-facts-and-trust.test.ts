/**
 * Token facts (versions, memory, raw flags) and certificate chain + revocation status in `obnova diagnose`,
 * on a SoftHSM2 card holding a CA-issued chain: a good holder certificate, a revoked one, and one from a
 * CA nobody trusts. OCSP is a real `openssl ocsp` responder on loopback; `pkcs11-tool -T` cross-checks the facts.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DiagnosticCheck, DiagnosticsReport } from '../../../src-shared/contract/index.js';
import { toPem } from '../../../src-shared/pki/pem.js';
import { runCli } from '../../../src-main/cli/run-cli.js';
import { createTestPki, tempDir, type TestPki, writeIssued } from '../../helpers/pki/pki-factory.js';
import { freePort, type Responder, startOcspResponder, writeIndex } from '../../helpers/pki/openssl-responder.js';
import { createSoftHsm, type SoftHsm, type SoftHsmToken } from '../../helpers/softhsm.js';

let hsm: SoftHsm;
let card: SoftHsmToken;
let pki: TestPki;
let pkiDir: string;
let work: string;
let responder: Responder;
let responderStopped = false;

async function diagnose(args: string[], appData: string): Promise<{ code: number; report: DiagnosticsReport; text: string }> {
  const out: string[] = [];
  const env = { PATH: process.env.PATH, OBNOVA_APP_DATA: appData };
  const code = await runCli(['diagnose', '--json', '--lang', 'en', '--module', hsm.modulePath, ...args], { out: (t) => out.push(t), err: () => undefined, env });
  const textOut: string[] = [];
  await runCli(['diagnose', '--lang', 'en', '--offline', '--module', hsm.modulePath], { out: (t) => textOut.push(t), err: () => undefined, env });
  return { code, report: JSON.parse(out.join('\n')) as DiagnosticsReport, text: textOut.join('\n') };
}

const byName = (report: DiagnosticsReport, name: string, verdictPrefix: string): DiagnosticCheck | undefined =>
  report.checks.find((c) => c.area === 'certificates' && c.details.name === name && c.verdict.startsWith(verdictPrefix));

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'obnova-diag-trust-'));
  pkiDir = tempDir();
  const port = await freePort();
  pki = await createTestPki({ ocspUrl: `http://127.0.0.1:${port}/ocsp` });
  const issuingPem = await writeIssued(pkiDir, 'issuing', pki.issuing, true);
  const responderPem = await writeIssued(pkiDir, 'responder', pki.ocspResponder, true);
  const index = writeIndex(pkiDir, [{ issued: pki.person }, { issued: pki.plain, revoked: { at: new Date(Date.now() - 3_600_000), reason: 'keyCompromise' } }]);
  responder = await startOcspResponder({ dir: pkiDir, port, caPem: issuingPem, signerPem: responderPem, signerKey: join(pkiDir, 'responder.key'), index });

  hsm = createSoftHsm();
  card = hsm.createToken({ label: 'CA card', pin: '246810' });
  hsm.writeRawCertificateObject(card, pki.root.der, { id: 'c0', label: 'Root' });
  hsm.writeRawCertificateObject(card, pki.issuing.der, { id: 'c1', label: 'Issuing' });
  hsm.writeRawCertificateObject(card, pki.person.der, { id: '01', label: 'Good' });
  hsm.writeRawCertificateObject(card, pki.plain.der, { id: '02', label: 'Revoked' });
  hsm.writeRawCertificateObject(card, pki.fromOtherCa.der, { id: '03', label: 'Stranger' });
}, 60_000);

afterAll(async () => {
  // stop() waits for an exit that already happened once the test stopped it.
  if (!responderStopped) await responder?.stop();
  hsm?.cleanup();
  rmSync(work, { recursive: true, force: true });
  rmSync(pkiDir, { recursive: true, force: true });
});

describe('obnova diagnose: token facts', () => {
  it('reports hardware and firmware versions, memory (null when unavailable) and raw flags, as pkcs11-tool sees them', async () => {
    const { report, text } = await diagnose(['--offline'], mkdtempSync(join(work, 'app-')));
    const token = report.tokens.find((t) => t.label === 'CA card');
    const facts = token?.facts;
    expect(facts).toBeTruthy();
    const listing = hsm.pkcs11Tool(['-T']);
    const block = listing.slice(listing.indexOf('CA card'));
    expect(block).toMatch(new RegExp(`hardware version\\s*:\\s*${facts!.hardwareVersion.replace('.', '\\.')}`));
    expect(block).toMatch(new RegExp(`firmware version\\s*:\\s*${facts!.firmwareVersion.replace('.', '\\.')}`));
    expect(facts!.flagNames).toEqual(expect.arrayContaining(['CKF_RNG', 'CKF_LOGIN_REQUIRED', 'CKF_USER_PIN_INITIALIZED', 'CKF_TOKEN_INITIALIZED']));
    expect(facts!.flags & 0x400).toBe(0x400); // CKF_TOKEN_INITIALIZED
    for (const key of ['freePublicMemory', 'totalPublicMemory', 'freePrivateMemory', 'totalPrivateMemory'] as const) {
      const value = facts![key];
      expect(value === null || (Number.isInteger(value) && value >= 0 && value < 0xffffffff)).toBe(true);
    }
    expect(text).toContain('Card details:');
    expect(text).toContain(`Firmware version: ${facts!.firmwareVersion}`);
    expect(text).toMatch(/Token flags: 0x[0-9a-f]{8} .*CKF_TOKEN_INITIALIZED/);
  }, 60_000);
});

describe('obnova diagnose: chain and revocation per certificate', () => {
  it('with no trust folder, anchors are the self-signed CAs on the card: good → CHAIN_OK + REVOCATION_GOOD, revoked → REVOCATION_REVOKED, stranger → CHAIN_UNTRUSTED', async () => {
    const { code, report } = await diagnose([], mkdtempSync(join(work, 'app-')));
    expect(code).toBe(4);
    const good = report.certificates.find((c) => c.objectId === '01');
    expect(good?.chain).toMatchObject({ valid: true, anchorSource: 'card', path: [pki.person.certificate.subject, pki.issuing.certificate.subject, pki.root.certificate.subject] });
    expect(good?.revocation).toMatchObject({ status: 'good', source: 'ocsp', url: responder.url });
    expect(byName(report, 'Ana Novak', 'CHAIN')).toMatchObject({ status: 'ok', verdict: 'CHAIN_OK' });
    expect(byName(report, 'Ana Novak', 'REVOCATION')).toMatchObject({ status: 'ok', verdict: 'REVOCATION_GOOD', fix: 'The certificate of Ana Novak is not revoked (checked with OCSP).' });

    const revoked = report.certificates.find((c) => c.objectId === '02');
    expect(revoked?.chain?.valid).toBe(true);
    expect(revoked?.revocation).toMatchObject({ status: 'revoked', source: 'ocsp', reason: 'keyCompromise' });
    const revokedCheck = byName(report, 'Plain Holder', 'REVOCATION');
    expect(revokedCheck).toMatchObject({ status: 'error', verdict: 'REVOCATION_REVOKED' });
    expect(revokedCheck?.fix).toMatch(/^The certificate of Plain Holder was revoked on .+\. It cannot be used or renewed any more/);

    const stranger = report.certificates.find((c) => c.objectId === '03');
    expect(stranger?.chain).toMatchObject({ valid: false, code: 'CERT_UNTRUSTED_ISSUER' });
    expect(byName(report, 'Ana Novak', 'CHAIN_UNTRUSTED') ?? report.checks.find((c) => c.verdict === 'CHAIN_UNTRUSTED')).toMatchObject({ status: 'warning' });
    // No issuer on the card for the stranger: nobody to ask, so no revocation verdict (the chain one says why).
    expect(stranger?.revocation ?? null).toBeNull();
    expect(report.checks.filter((c) => c.verdict.startsWith('REVOCATION_')).map((c) => c.details.name).sort()).toEqual(['Ana Novak', 'Plain Holder']);
    // CA certificates are not judged as holder certificates.
    expect(report.certificates.find((c) => c.objectId === 'c0')?.chain ?? null).toBeNull();
  }, 60_000);

  it('with a trust folder in app data, the anchors come from it; --offline skips revocation', async () => {
    const appData = mkdtempSync(join(work, 'app-'));
    mkdirSync(join(appData, 'trust'));
    writeFileSync(join(appData, 'trust', 'root.pem'), toPem(pki.root.der, 'CERTIFICATE'));
    const { report } = await diagnose(['--offline'], appData);
    const good = report.certificates.find((c) => c.objectId === '01');
    expect(good?.chain).toMatchObject({ valid: true, anchorSource: 'trust-folder' });
    expect(good?.revocation ?? null).toBeNull();
    expect(report.checks.some((c) => c.verdict.startsWith('REVOCATION_'))).toBe(false);
  }, 60_000);

  it('with the OCSP responder down and no CRL: REVOCATION_UNKNOWN (a warning, not a failure) within the short timeout', async () => {
    await responder.stop();
    responderStopped = true;
    const started = Date.now();
    const { report } = await diagnose([], mkdtempSync(join(work, 'app-')));
    expect(Date.now() - started).toBeLessThan(30_000);
    expect(byName(report, 'Ana Novak', 'REVOCATION')).toMatchObject({ status: 'warning', verdict: 'REVOCATION_UNKNOWN' });
    expect(report.certificates.find((c) => c.objectId === '01')?.revocation?.attempts.length).toBeGreaterThanOrEqual(1);
  }, 60_000);
});
