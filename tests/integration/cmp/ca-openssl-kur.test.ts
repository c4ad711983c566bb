/**
 * Interop on the CA side: `openssl cmp -cmd kur` (a CMP client nobody here wrote) renews a
 * certificate at Obnova's CA over HTTP — the old key in a PEM file, and the old key on a SoftHSM
 * token through OpenSSL's pkcs11 engine — and is refused with the right PKIFailureInfo for no
 * paid order, a revoked, a foreign and an expired certificate, and a POP that is not a signature.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { softHsmModule } from '../../../src-service/ca/ca-setup.js';
import { issueCertificate } from '../../../src-service/ca/issuance.js';
import { createHolder, registerCard } from '../../../src-service/db/holders-repository.js';
import { unloadAllModules } from '../../../src-service/hsm/pkcs11-module.js';
import { markPaid } from '../../../src-service/renewal/admin-actions.js';
import { getOrder } from '../../../src-service/renewal/orders/order-repository.js';
import { orderCreatedSchema } from '../../../src-shared/contract/protocol/order.js';
import { Certificate } from '../../../src-shared/pki/certificate.js';
import { signCms } from '../../../src-shared/pki/cms-sign.js';
import { toPem } from '../../../src-shared/pki/pem.js';
import { softwareSigner, type Signer } from '../../../src-shared/pki/signer.js';
import { opensslKur, writeCertsPem, writeKeyPem } from '../../helpers/cmp/openssl-cmp.js';
import { issueTestCard, type TestCard } from '../../helpers/renewal/card.js';
import { challenge, orderDocument, postCms } from '../../helpers/renewal/protocol-client.js';
import { renewalFixture, type RenewalFixture } from '../../helpers/renewal/renewal-fixture.js';
import { makeCsr } from '../../helpers/service/csr.js';
import { runTool, tool } from '../../helpers/service/openssl.js';
import { useSoftHsmEnv } from '../../helpers/service/softhsm-env.js';

const hsm = useSoftHsmEnv('obnova-cmp-ca-');
const work = mkdtempSync(join(tmpdir(), 'obnova-cmp-ca-'));
afterAll(() => {
  unloadAllModules();
  hsm.cleanup();
  rmSync(work, { recursive: true, force: true });
});

interface SoftwareHolder {
  certFile: string;
  keyFile: string;
  cert: Certificate;
  signer: Signer;
}

let f: RenewalFixture;
let server: string;
let srvCert: string;
let trusted: string;
let people = 0;

async function newHolder(): Promise<{ holderId: string; cardId: string }> {
  people++;
  const holder = await createHolder(f.service.db, { kind: 'natural', country: 'SI', givenName: 'Ana', surname: `Novak${people}`, personalNumber: `01019905001${people}`, email: `ana${people}@example.si` }, 'test');
  const card = await registerCard(f.service.db, holder.id, `TOKEN${people}`, `card${people}`, 'test');
  return { holderId: holder.id, cardId: card.id };
}

/** A holder whose current certificate's key is a PEM file; `at` backdates issuance (an expired certificate). */
async function softwareHolder(name: string, at?: Date): Promise<SoftwareHolder> {
  const { holderId, cardId } = await newHolder();
  const csr = await makeCsr('EC-P256');
  const request = { csr: csr.der, holderId, cardId, actor: 'test' };
  const issued = at ? await issueCertificate(f.service.authority, f.service.db, request, at) : await f.service.issue(request);
  const cert = await Certificate.fromDer(new Uint8Array(issued.record.der));
  return {
    certFile: writeCertsPem(join(work, `${name}.pem`), [issued.record.der]),
    keyFile: await writeKeyPem(join(work, `${name}.key`), csr.keys.privateKey),
    cert,
    signer: softwareSigner(csr.keys.privateKey, { certificate: cert }),
  };
}

async function placePaidOrder(sign: (content: Uint8Array) => Promise<Uint8Array>, serial: string): Promise<string> {
  const placed = await postCms(f.app, '/v1/orders', await sign(orderDocument(await challenge(f.app), serial)));
  expect(placed.statusCode, placed.body).toBe(201);
  const orderId = orderCreatedSchema.parse(placed.json()).orderId;
  await markPaid(f.ctx, orderId, 'test');
  return orderId;
}

function newKeyFile(name: string): string {
  const path = join(work, `${name}.key`);
  tool('openssl', ['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', path]);
  return path;
}

function publicKeyOf(file: string, kind: 'cert' | 'key'): string {
  return kind === 'cert' ? tool('openssl', ['x509', '-in', file, '-noout', '-pubkey']) : tool('openssl', ['pkey', '-in', file, '-pubout']);
}

beforeAll(async () => {
  f = await renewalFixture({ db: 'sqlite' });
  server = new URL(await f.app.listen({ port: 0, host: '127.0.0.1' })).host;
  srvCert = writeCertsPem(join(work, 'issuing.pem'), [f.service.authority.issuing.der]);
  trusted = writeCertsPem(join(work, 'root.pem'), [f.service.authority.root.der]);
}, 90_000);
afterAll(async () => {
  await f?.close();
});

describe('openssl cmp -cmd kur against obnova-ca', () => {
  let ana: SoftwareHolder;
  let orderId: string;
  const got = join(work, 'ana-new.pem');

  beforeAll(async () => {
    ana = await softwareHolder('ana');
  });

  it('refuses a kur for a certificate without a renewal order (notAuthorized, ORDER_NOT_FOUND), issuing nothing', async () => {
    const r = await opensslKur(work, { server, cert: ana.certFile, key: ana.keyFile, newKey: newKeyFile('ana-early'), srvCert, certOut: join(work, 'none.pem') });
    expect(r.status).not.toBe(0);
    expect(r.output).toMatch(/notAuthorized/);
    expect(r.output).toMatch(/ORDER_NOT_FOUND/);
  });

  it('issues the paid order\'s certificate for the new key, chained to the CA, confirmed with certConf', async () => {
    orderId = await placePaidOrder((c) => signCms(c, ana.signer), ana.cert.serialNumber);
    const newKey = newKeyFile('ana-next');
    const r = await opensslKur(work, { server, cert: ana.certFile, key: ana.keyFile, newKey, srvCert, certOut: got });
    expect(r.output).toMatch(/received PKICONF/);
    expect(r.status).toBe(0);
    expect(publicKeyOf(got, 'cert')).toBe(publicKeyOf(newKey, 'key'));
    expect(runTool('openssl', ['verify', '-CAfile', trusted, '-untrusted', srvCert, got]).stdout).toMatch(/OK/);
    expect(tool('openssl', ['x509', '-in', got, '-noout', '-subject'])).toBe(tool('openssl', ['x509', '-in', ana.certFile, '-noout', '-subject']));
    const order = await getOrder(f.ctx.db, orderId);
    expect(order.status).toBe('issued');
    expect(order.newCertificateSerial).toBe(tool('openssl', ['x509', '-in', got, '-noout', '-serial']).trim().slice(7).toLowerCase());
    // The request openssl sent parses with openssl's own ASN.1 reader as a kur with the oldCertID control.
    expect(tool('openssl', ['asn1parse', '-inform', 'DER', '-in', join(work, 'kur.der')])).toMatch(/id-regCtrl-oldCertID/);
    const transactions = await f.ctx.db.selectFrom('cmp_transactions').selectAll().where('old_serial', '=', ana.cert.serialNumber).where('status', '=', 'confirmed').execute();
    expect(transactions).toHaveLength(1);
  });

  it('answers the same certificate to a repeated kur with the same key (a client that lost the answer), and grants implicit confirmation', async () => {
    const again = join(work, 'ana-again.pem');
    const r = await opensslKur(work, { server, cert: ana.certFile, key: ana.keyFile, newKey: join(work, 'ana-next.key'), srvCert, certOut: again, extra: ['-implicit_confirm'] });
    expect(r.status).toBe(0);
    expect(r.output).not.toMatch(/sending CERTCONF/);
    expect(readFileSync(again, 'utf8')).toBe(readFileSync(got, 'utf8'));
  });

  it('refuses another new key for the same order (duplicateCertReq)', async () => {
    const r = await opensslKur(work, { server, cert: ana.certFile, key: ana.keyFile, newKey: newKeyFile('ana-other'), srvCert, certOut: join(work, 'none.pem') });
    expect(r.status).not.toBe(0);
    expect(r.output).toMatch(/duplicateCertReq/);
  });

  it('refuses a POP that is not a signature by the new key (badPOP)', async () => {
    const bo = await softwareHolder('bo');
    await placePaidOrder((c) => signCms(c, bo.signer), bo.cert.serialNumber);
    const r = await opensslKur(work, { server, cert: bo.certFile, key: bo.keyFile, newKey: newKeyFile('bo-next'), srvCert, certOut: join(work, 'none.pem'), extra: ['-popo', '0'] });
    expect(r.status).not.toBe(0);
    expect(r.output).toMatch(/badPOP/);
  });

  it('refuses a revoked certificate (certRevoked)', async () => {
    const cid = await softwareHolder('cid');
    await placePaidOrder((c) => signCms(c, cid.signer), cid.cert.serialNumber);
    await f.service.revoke(cid.cert.serialNumber, 'keyCompromise', 'test');
    const r = await opensslKur(work, { server, cert: cid.certFile, key: cid.keyFile, newKey: newKeyFile('cid-next'), srvCert, certOut: join(work, 'none.pem') });
    expect(r.status).not.toBe(0);
    expect(r.output).toMatch(/certRevoked/);
  });

  it('refuses an expired certificate (signerNotTrusted, RENEWAL_CERT_EXPIRED)', async () => {
    const dan = await softwareHolder('dan', new Date(Date.now() - 6 * 365 * 86_400_000));
    const r = await opensslKur(work, { server, cert: dan.certFile, key: dan.keyFile, newKey: newKeyFile('dan-next'), srvCert, certOut: join(work, 'none.pem') });
    expect(r.status).not.toBe(0);
    expect(r.output).toMatch(/signerNotTrusted/);
    expect(r.output).toMatch(/RENEWAL_CERT_EXPIRED/);
  });

  it('refuses a certificate of another CA (signerNotTrusted, RENEWAL_CERT_NOT_ON_RECORD)', async () => {
    const dir = join(work, 'foreign');
    tool('mkdir', ['-p', dir]);
    const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes'];
    tool('openssl', ['req', '-x509', ...ec, '-keyout', join(dir, 'ca.key'), '-out', join(dir, 'ca.pem'), '-subj', '/CN=Other CA/C=SI', '-days', '30']);
    tool('openssl', ['req', ...ec, '-keyout', join(dir, 'holder.key'), '-out', join(dir, 'holder.csr'), '-subj', '/CN=Ana Novak/C=SI']);
    tool('openssl', ['x509', '-req', '-in', join(dir, 'holder.csr'), '-CA', join(dir, 'ca.pem'), '-CAkey', join(dir, 'ca.key'), '-set_serial', '7', '-days', '30', '-out', join(dir, 'holder.pem')]);
    const r = await opensslKur(work, { server, cert: join(dir, 'holder.pem'), key: join(dir, 'holder.key'), newKey: newKeyFile('foreign-next'), srvCert, certOut: join(work, 'none.pem') });
    expect(r.status).not.toBe(0);
    expect(r.output).toMatch(/signerNotTrusted/);
  });
});

describe('openssl cmp -cmd kur with the old key on a SoftHSM token (pkcs11 engine)', () => {
  let card: TestCard;

  beforeAll(async () => {
    const { holderId } = await newHolder();
    card = await issueTestCard(f.service, holderId, 'cmp-engine-card');
  }, 60_000);
  afterAll(() => card?.close());

  it('signs the protection on the token and obtains the successor', async () => {
    await placePaidOrder((c) => card.sign(c), card.certificate.serialNumber);
    const certFile = writeCertsPem(join(work, 'card.pem'), [card.certificate.der]);
    const next = await card.session.generateKeyPair('cmp-next', 'EC-P256');
    const out = join(work, 'card-new.pem');
    const uri = (object: string) => `pkcs11:token=${card.tokenLabel};object=${object};type=private?pin-value=${card.pin}`;
    const r = await opensslKur(work, { server, cert: certFile, key: uri(card.keyLabel), newKey: uri('cmp-next'), srvCert, certOut: out, engine: true }, { PKCS11_MODULE_PATH: softHsmModule });
    expect(r.output).toMatch(/received PKICONF/);
    expect(r.status).toBe(0);
    const onToken = new Uint8Array(await card.session.crypto.subtle.exportKey('spki', next.publicKey as never));
    expect(tool('openssl', ['x509', '-in', out, '-noout', '-pubkey'])).toBe(toPem(onToken, 'PUBLIC KEY'));
  });
});
