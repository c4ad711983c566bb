/**
 * The PKI core's CMS and PKCS#10 built with card signers — the renewal's order (old key, CAdES), CSR (new
 * key) and authorisation — and checked by openssl, which knows nothing of our code.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Certificate } from '../../../src-shared/pki/certificate.js';
import { signCms } from '../../../src-shared/pki/cms-sign.js';
import { buildCsr } from '../../../src-shared/pki/csr.js';
import { defaultSignerAlgorithm } from '../../../src-main/token/card-signer.js';
import { createTokenService, type TokenService } from '../../../src-main/token/token-service.js';
import { createSoftHsm, type SoftHsmToken, type WrittenCertificate } from '../../helpers/softhsm.js';

const hsm = createSoftHsm();
let token: SoftHsmToken;
let current: WrittenCertificate;
let service: TokenService;

beforeAll(async () => {
  token = hsm.createToken({ label: 'Renewal' });
  current = await hsm.addKeyAndCertificate(token, { id: 'c0', label: 'current', subject: { commonName: 'Ana Novak', country: 'SI' }, qualified: true });
  service = createTokenService({ module: { path: hsm.modulePath, source: 'probe', name: 'SoftHSM 2', tokenRescan: 'reinitialize' } });
  await service.login(token.slotId, token.pin);
});
afterAll(async () => {
  await service.close();
  hsm.cleanup();
});

const openssl = (args: string[]): string => execFileSync('openssl', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

describe('PKI objects signed on the card', () => {
  it('a CAdES order signed with the current (RSA) key verifies with openssl cms', async () => {
    const certificate = await Certificate.fromDer(current.der);
    const signer = service.signer(token.slotId, current.id, defaultSignerAlgorithm(certificate.keyAlgorithm), { certificate });
    const order = new TextEncoder().encode('{"order":"renewal","nonce":"n-1"}');
    const cms = await signCms(order, signer, { chain: [await Certificate.fromDer(current.ca.der)] });
    const dir = hsm.dir;
    writeFileSync(join(dir, 'order.p7m'), cms);
    writeFileSync(join(dir, 'ca.pem'), `-----BEGIN CERTIFICATE-----\n${Buffer.from(current.ca.der).toString('base64')}\n-----END CERTIFICATE-----\n`);
    const content = openssl(['cms', '-verify', '-inform', 'DER', '-in', join(dir, 'order.p7m'), '-CAfile', join(dir, 'ca.pem'), '-purpose', 'any']);
    expect(content).toBe('{"order":"renewal","nonce":"n-1"}');
  });

  it('a PKCS#10 request signed by a new P-256 key generated on the card verifies with openssl req', async () => {
    const key = await service.generateKeyPair(token.slotId, { type: 'EC', curve: 'P-256', label: 'renewal key' });
    const csr = await buildCsr({ subject: 'CN=Ana Novak, C=SI', publicKey: key.publicKeySpki, signer: service.signer(token.slotId, key.id, 'ECDSA-P256-SHA256') });
    writeFileSync(join(hsm.dir, 'req.der'), csr);
    const run = spawnSync('openssl', ['req', '-inform', 'DER', '-in', join(hsm.dir, 'req.der'), '-verify', '-noout', '-pubkey'], { encoding: 'utf8' });
    expect(run.status).toBe(0);
    expect(run.stderr + run.stdout).toMatch(/verify OK/);
    // The request carries the card's new key.
    expect(run.stdout).toContain(Buffer.from(key.publicKeySpki).toString('base64').slice(0, 60));
  });
});
