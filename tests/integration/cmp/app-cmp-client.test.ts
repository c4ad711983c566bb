/**
 * Interop on the app side: the app's CMP client, signing the protection with the old key and the
 * POP with the new key on a SoftHSM token, renews at OpenSSL's mock CMP server (`openssl cmp
 * -port`, code nobody here wrote) and at Obnova's own CA; kur then certConf, every answer checked.
 */
import 'reflect-metadata';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as x509 from '@peculiar/x509';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { softHsmModule } from '../../../src-service/ca/ca-setup.js';
import { createHolder } from '../../../src-service/db/holders-repository.js';
import { unloadAllModules } from '../../../src-service/hsm/pkcs11-module.js';
import { TokenSession } from '../../../src-service/hsm/token-session.js';
import { createCmpClient, type KeyUpdateInput } from '../../../src-main/service-client/cmp-client.js';
import { Certificate } from '../../../src-shared/pki/certificate.js';
import { fromPem, toPem } from '../../../src-shared/pki/pem.js';
import { cardSigner, issueTestCard, type TestCard } from '../../helpers/renewal/card.js';
import { renewalFixture, type RenewalFixture } from '../../helpers/renewal/renewal-fixture.js';
import { startOpensslMockCa, type MockCa } from '../../helpers/cmp/openssl-cmp.js';
import { tool } from '../../helpers/service/openssl.js';
import { useSoftHsmEnv } from '../../helpers/service/softhsm-env.js';

const hsm = useSoftHsmEnv('obnova-cmp-app-');
const work = mkdtempSync(join(tmpdir(), 'obnova-cmp-app-'));
afterAll(() => {
  unloadAllModules();
  hsm.cleanup();
  rmSync(work, { recursive: true, force: true });
});
const at = (name: string) => join(work, name);

/** Old and new key on one token, with signers over them (every signature is C_Sign on the token). */
async function keysOnToken(session: TokenSession, certificate: Certificate, oldLabel: string, chain: Uint8Array[]): Promise<KeyUpdateInput> {
  const next = await session.generateKeyPair(`next-${Date.now()}`, 'EC-P256');
  const newSpki = new Uint8Array(await session.crypto.subtle.exportKey('spki', next.publicKey as never));
  return {
    oldCertificate: certificate,
    chain,
    oldKey: cardSigner(session, await session.privateKey(oldLabel), certificate),
    newSpki,
    newKey: { ...cardSigner(session, next.privateKey, certificate), certificate: undefined },
  };
}

describe('the app renews at OpenSSL\'s mock CMP server', () => {
  let session: TokenSession;
  let mock: MockCa;
  let input: KeyUpdateInput;

  beforeAll(async () => {
    execFileSync('softhsm2-util', ['--init-token', '--free', '--label', 'mock-card', '--pin', '1234', '--so-pin', '12345678'], { env: process.env });
    session = TokenSession.open({ module: softHsmModule, tokenLabel: 'mock-card', pin: '1234' });
    const old = await session.generateKeyPair('old', 'EC-P256');
    const csr = await x509.Pkcs10CertificateRequestGenerator.create({ name: 'CN=Ana Novak,C=SI', keys: old, signingAlgorithm: { name: 'ECDSA', hash: 'SHA-256' } } as never, session.crypto as never);
    writeFileSync(at('old.csr'), csr.toString('pem'));
    tool('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', at('ca.key'), '-out', at('ca.pem'), '-subj', '/CN=OpenSSL Mock CA/C=SI', '-days', '30']);
    tool('openssl', ['x509', '-req', '-in', at('old.csr'), '-CA', at('ca.pem'), '-CAkey', at('ca.key'), '-set_serial', '4242', '-days', '20', '-out', at('old.pem')]);
    const caDer = fromPem(readFileSync(at('ca.pem'), 'utf8'), 'CERTIFICATE');
    const oldCert = await Certificate.fromDer(fromPem(readFileSync(at('old.pem'), 'utf8'), 'CERTIFICATE'));
    input = await keysOnToken(session, oldCert, 'old', [caDer]);
    writeFileSync(at('next.pub'), toPem(input.newSpki, 'PUBLIC KEY'));
    // The 3.0 mock checks oldCertID against the certificate it returns: same issuer and serial as the old one, the new key.
    tool('openssl', ['x509', '-req', '-in', at('old.csr'), '-CA', at('ca.pem'), '-CAkey', at('ca.key'), '-set_serial', '4242', '-days', '20', '-force_pubkey', at('next.pub'), '-out', at('new.pem')]);
    mock = await startOpensslMockCa({ srvCert: at('ca.pem'), srvKey: at('ca.key'), rspCert: at('new.pem'), trusted: at('ca.pem') });
  }, 60_000);
  afterAll(() => {
    mock?.stop();
    session?.close();
  });

  it('sends kur and certConf signed on the token and gets the certificate the mock serves, for the new key', async () => {
    const client = createCmpClient({ url: `http://${mock.server}/` });
    const request = await client.certRequest(input);
    const answer = await client.keyUpdate(input, request);
    expect(Buffer.from(answer.certificate).equals(Buffer.from(fromPem(readFileSync(at('new.pem'), 'utf8'), 'CERTIFICATE')))).toBe(true);
    expect(answer.chain[0]).toEqual(input.chain[0]);
    await client.confirm(input, answer);
    expect(mock.log()).not.toMatch(/error/i);
  });

  it('refuses an answer protected by a key that is not the issuing CA\'s (CMP_PROTECTION_INVALID)', async () => {
    tool('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', at('rogue.key'), '-out', at('rogue.pem'), '-subj', '/CN=OpenSSL Mock CA/C=SI', '-days', '30']);
    const rogue = await startOpensslMockCa({ srvCert: at('rogue.pem'), srvKey: at('rogue.key'), rspCert: at('new.pem'), trusted: at('ca.pem') });
    try {
      const client = createCmpClient({ url: `http://${rogue.server}/` });
      await expect(client.keyUpdate(input, await client.certRequest(input))).rejects.toMatchObject({ code: 'CMP_PROTECTION_INVALID' });
    } finally {
      rogue.stop();
    }
  });
});

describe('the app renews at Obnova\'s CA over CMP', () => {
  let f: RenewalFixture;
  let card: TestCard;
  let url: string;

  beforeAll(async () => {
    f = await renewalFixture({ db: 'sqlite', policy: (p) => ({ ...p, cmpKeyUpdate: 'open' }) });
    url = `${await f.app.listen({ port: 0, host: '127.0.0.1' })}/.well-known/cmp`;
    const holder = await createHolder(f.service.db, { kind: 'natural', country: 'SI', givenName: 'Ana', surname: 'Novak', personalNumber: '0101990500123', email: 'ana@example.si' }, 'test');
    card = await issueTestCard(f.service, holder.id, 'cmp-app-card');
  }, 90_000);
  afterAll(async () => {
    card?.close();
    await f?.close();
  });

  it('obtains and confirms the successor; the same request again (a lost answer) gets the same certificate', async () => {
    const input = await keysOnToken(card.session, card.certificate, card.keyLabel, [f.service.authority.issuing.der]);
    const client = createCmpClient({ url });
    const request = await client.certRequest(input);
    const first = await client.keyUpdate(input, request);
    const again = await client.keyUpdate(input, request);
    expect(Buffer.from(again.certificate).equals(Buffer.from(first.certificate))).toBe(true);
    await client.confirm(input, again);
    const row = await f.ctx.db.selectFrom('cmp_transactions').select('status').where('transaction_id', '=', again.transactionId).executeTakeFirstOrThrow();
    expect(row.status).toBe('confirmed');
    const issued = await Certificate.fromDer(first.certificate);
    expect(issued.subject).toBe(card.certificate.subject);
    expect(await issued.isSignedBy(await Certificate.fromDer(f.service.authority.issuing.der))).toBe(true);
  });

  it('says why the CA refused, in the contract\'s words: a revoked certificate is RENEWAL_CERT_REVOKED', async () => {
    const holder = await createHolder(f.service.db, { kind: 'natural', country: 'SI', givenName: 'Bor', surname: 'Kranjc', personalNumber: '0101990500124', email: 'bor@example.si' }, 'test');
    const revoked = await issueTestCard(f.service, holder.id, 'cmp-app-revoked');
    try {
      await f.service.revoke(revoked.certificate.serialNumber, 'keyCompromise', 'test');
      const input = await keysOnToken(revoked.session, revoked.certificate, revoked.keyLabel, [f.service.authority.issuing.der]);
      const client = createCmpClient({ url });
      await expect(client.keyUpdate(input, await client.certRequest(input))).rejects.toMatchObject({ code: 'RENEWAL_CERT_REVOKED', details: { failInfo: 'certRevoked' } });
    } finally {
      revoked.close();
    }
  });
});
