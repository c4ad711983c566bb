/**
 * renewal.check against the real renewal service and OCSP responder: the checklist for a valid card,
 * a revoked, an expired, a data-changed and a foreign certificate, and a service that is down.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueCertificate } from '../../../src-service/ca/issuance.js';
import { changeHolder, createHolder } from '../../../src-service/db/holders-repository.js';
import { unloadAllModules } from '../../../src-service/hsm/pkcs11-module.js';
import type { CardCertificateValue } from '../../../src-main/export/certificate-source.js';
import { createCheckHandler } from '../../../src-main/renewal/check-handler.js';
import { createRevocationChecker } from '../../../src-main/revocation/revocation-checker.js';
import { createRenewalClient } from '../../../src-main/service-client/renewal-client.js';
import type { EligibilityView } from '../../../src-shared/contract/schemas/renewal.js';
import { Certificate } from '../../../src-shared/pki/certificate.js';
import { issue } from '../../helpers/pki/pki-factory.js';
import { issueTestCard, type TestCard } from '../../helpers/renewal/card.js';
import { makeCsr } from '../../helpers/service/csr.js';
import { useSoftHsmEnv } from '../../helpers/service/softhsm-env.js';
import { startListeningService, type ListeningService } from './service-fixture.js';

const hsm = useSoftHsmEnv('obnova-renewal-app-check-');
const sixYears = 6 * 365 * 86_400_000;

let svc: ListeningService;
let card: TestCard;
let holderId: string;
/** What each test's "card" holds: slot 1 = the card, then software certificates under their own slots. */
const slots = new Map<string, CardCertificateValue[]>();

function handler(url: string | null = svc.url) {
  return createCheckHandler({
    certificateSource: { certificateValues: async (slotId) => slots.get(slotId) ?? [] },
    // What native-config/trust ships: the root and the issuing CA.
    trustAnchors: async () => [svc.root, svc.issuing],
    client: () => (url ? createRenewalClient({ baseUrl: url, policy: { maxAttempts: 2, baseDelayMs: 10, maxDelayMs: 50, timeoutMs: 2000 } }) : null),
    revocation: createRevocationChecker({ timeoutMs: 5000 }),
  });
}

async function softwareCertificate(at = new Date()): Promise<Certificate> {
  const csr = await makeCsr('EC-P256');
  const { certificate } = await issueCertificate(svc.service.authority, svc.service.db, { csr: csr.pem, holderId, actor: 'test' }, at);
  return Certificate.fromDer(new Uint8Array(certificate.rawData));
}

function row(view: EligibilityView, id: string) {
  return view.checks.find((c) => c.id === id);
}

beforeAll(async () => {
  svc = await startListeningService();
  const holder = await createHolder(svc.service.db, { kind: 'natural', country: 'SI', givenName: 'Ana', surname: 'Novak', personalNumber: '0101980500123', email: 'ana@example.si' }, 'test');
  holderId = holder.id;
  card = await issueTestCard(svc.service, holder.id, 'app-check');
  slots.set('1', [{ objectId: '01', der: card.certificate.der }]);
}, 90_000);

afterAll(async () => {
  card?.close();
  await svc?.close();
  unloadAllModules();
  hsm.cleanup();
});

describe('renewal.check', () => {
  it('a valid card: every row passes, OCSP says good, the service offers renewal on the same card', async () => {
    const view = await handler()({ slotId: '1', objectId: '01' });
    expect(view.checks.map((c) => [c.id, c.status])).toEqual([
      ['valid', 'pass'],
      ['issued-by-ca', 'pass'],
      ['not-expired', 'pass'],
      ['not-revoked', 'pass'],
      ['data-unchanged', 'pass'],
      ['online-renewal', 'pass'],
      ['renewal-window', 'pass'],
    ]);
    expect(view).toMatchObject({ eligible: true, path: 'existing-media', revocationSource: 'ocsp', serviceProblem: null, currency: 'EUR' });
    expect(view.certificate.serialNumber).toBe(card.certificate.serialNumber);
    expect(view.certificate.daysToExpiry).toBeGreaterThan(300);
    expect(view.price?.gross).toBeGreaterThan(0);
  });

  it('a revoked certificate fails "not revoked" locally (OCSP) and at the service', async () => {
    const cert = await softwareCertificate();
    await svc.service.revoke(cert.serialNumber, 'keyCompromise', 'test');
    slots.set('2', [{ objectId: 'aa', der: cert.der }]);
    const view = await handler()({ slotId: '2', objectId: 'aa' });
    expect(row(view, 'not-revoked')).toEqual({ id: 'not-revoked', status: 'fail', code: 'CERT_REVOKED', source: 'both', instead: 'new-application' });
    expect(view.eligible).toBe(false);
  });

  it('an expired certificate fails "not expired" with a new application to do instead, and shows negative days', async () => {
    const cert = await softwareCertificate(new Date(Date.now() - sixYears));
    slots.set('3', [{ objectId: 'bb', der: cert.der }]);
    const view = await handler()({ slotId: '3', objectId: 'bb' });
    expect(row(view, 'not-expired')).toMatchObject({ status: 'fail', code: 'CERT_EXPIRED', instead: 'new-application' });
    expect(row(view, 'valid')).toMatchObject({ status: 'pass' });
    expect(view.certificate.daysToExpiry).toBeLessThan(0);
    expect(view.eligible).toBe(false);
  });

  it('changed holder data fails "data unchanged" (the service knows), pointing to the registration office', async () => {
    await changeHolder(svc.service.db, holderId, { surname: 'Novak Kos' }, 'test');
    try {
      const view = await handler()({ slotId: '1', objectId: '01' });
      expect(row(view, 'data-unchanged')).toEqual({ id: 'data-unchanged', status: 'fail', code: 'RENEWAL_HOLDER_DATA_CHANGED', source: 'service', instead: 'apply-at-registration-office' });
      expect(row(view, 'valid')?.status).toBe('pass');
      expect(view).toMatchObject({ eligible: false, path: 'original-issuance' });
    } finally {
      await changeHolder(svc.service.db, holderId, { surname: 'Novak' }, 'test');
    }
  });

  it('a certificate of another CA fails "issued by the CA"; rows only the service decides stay unknown', async () => {
    const otherCa = await issue({ subject: 'CN=Other CA,C=SI', ca: true });
    const foreign = await issue({ subject: 'CN=Ana Novak,C=SI', issuer: otherCa, qc: 'natural' });
    slots.set('4', [{ objectId: 'cc', der: foreign.der }]);
    const view = await handler()({ slotId: '4', objectId: 'cc' });
    expect(row(view, 'issued-by-ca')).toMatchObject({ status: 'fail', code: 'CERT_UNTRUSTED_ISSUER' });
    expect(row(view, 'data-unchanged')?.status).toBe('unknown');
    expect(view.eligible).toBe(false);
  });

  it('with the service down the local rows still decide and the service rows say unknown with the reason', async () => {
    const view = await handler('http://127.0.0.1:9')({ slotId: '1', objectId: '01' });
    expect(view.serviceProblem?.code).toBe('SERVICE_UNREACHABLE');
    expect(row(view, 'valid')?.status).toBe('pass');
    expect(row(view, 'not-revoked')?.status).toBe('pass');
    expect(row(view, 'renewal-window')).toMatchObject({ status: 'unknown', code: 'SERVICE_UNREACHABLE', instead: 'retry' });
    expect(view.eligible).toBe(false);
  });

  it('without a configured service: SERVICE_NOT_CONFIGURED', async () => {
    const view = await handler(null)({ slotId: '1', objectId: '01' });
    expect(view.serviceProblem?.code).toBe('SERVICE_NOT_CONFIGURED');
  });
});
