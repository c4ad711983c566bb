/** CRL and OCSP: openssl accepts the CRL, and `openssl ocsp` says good, then revoked after a revocation. */
import 'reflect-metadata';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../../src-service/app.js';
import { CaService } from '../../../src-service/ca/ca-service.js';
import { listAudit } from '../../../src-service/db/audit-log.js';
import { createHolder } from '../../../src-service/db/holders-repository.js';
import { unloadAllModules } from '../../../src-service/hsm/pkcs11-module.js';
import { createTestCa, type TestCa } from '../../helpers/service/ca-factory.js';
import { makeCsr } from '../../helpers/service/csr.js';
import { runTool, runToolAsync } from '../../helpers/service/openssl.js';
import { useSoftHsmEnv } from '../../helpers/service/softhsm-env.js';

const hsm = useSoftHsmEnv();
afterAll(() => {
  unloadAllModules();
  hsm.cleanup();
});

describe.each(['sqlite', 'postgres'] as const)('revocation on %s', (dbKind) => {
  let ca: TestCa;
  let service: CaService;
  let app: FastifyInstance;
  let url: string;
  let certFile: string;
  let serial: string;
  let chainFile: string;

  beforeAll(async () => {
    ca = await createTestCa({ db: dbKind });
    service = await CaService.open(ca.config);
    app = await buildApp({ service });
    await app.listen({ host: '127.0.0.1', port: 0 });
    const address = app.server.address();
    url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
    const holder = await createHolder(service.db, { kind: 'natural', country: 'SI', givenName: 'Ana', surname: 'Novak', personalNumber: '0101990500123' }, 'test');
    const issued = await service.issue({ csr: (await makeCsr('EC-P256')).pem, holderId: holder.id, actor: 'test' });
    serial = issued.record.serial;
    certFile = join(ca.dir, 'holder.pem');
    writeFileSync(certFile, issued.certificate.toString('pem'));
    chainFile = join(ca.dir, 'chain.pem');
    writeFileSync(chainFile, readFileSync(ca.config.certificates.root, 'utf8') + readFileSync(ca.config.certificates.issuing, 'utf8'));
    await service.startBackground();
  });
  afterAll(async () => {
    await app?.close();
    await service?.close();
    await ca?.cleanup();
  });

  async function ocspStatus(extra: string[] = []): Promise<string> {
    const r = await runToolAsync('openssl', ['ocsp', '-issuer', ca.config.certificates.issuing, '-cert', certFile, '-url', `${url}/ocsp`, '-CAfile', ca.config.certificates.root, ...extra]);
    return `${r.stdout}\n${r.stderr}`;
  }

  it('serves CRLs that openssl verifies', async () => {
    for (const [name, issuer] of [['issuing', ca.config.certificates.issuing], ['root', ca.config.certificates.root]] as const) {
      const res = await app.inject({ method: 'GET', url: `/crl/${name}.crl` });
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toBe('application/pkix-crl');
      const file = join(ca.dir, `${name}.crl`);
      writeFileSync(file, res.rawPayload);
      const out = runTool('openssl', ['crl', '-inform', 'DER', '-in', file, '-CAfile', issuer, '-noout', '-verify']);
      expect(`${out.stdout}${out.stderr}`).toContain('verify OK');
    }
    const cer = await app.inject({ method: 'GET', url: '/ca/issuing.cer' });
    expect(cer.statusCode).toBe(200);
    expect(cer.headers['content-type']).toBe('application/pkix-cert');
  });

  it('answers openssl ocsp with good, then revoked after revocation, with a new CRL listing it', async () => {
    const before = await ocspStatus();
    expect(before).toContain(`${certFile}: good`);
    expect(before).toContain('Response verify OK');

    const reqFile = join(ca.dir, 'ocsp.req');
    runTool('openssl', ['ocsp', '-issuer', ca.config.certificates.issuing, '-cert', certFile, '-reqout', reqFile, '-no_nonce']);
    const b64 = encodeURIComponent(readFileSync(reqFile).toString('base64'));
    const viaGet = await app.inject({ method: 'GET', url: `/ocsp/${b64}` });
    expect(viaGet.statusCode).toBe(200);
    expect(viaGet.headers['content-type']).toBe('application/ocsp-response');

    await service.revoke(serial, 'keyCompromise', 'test-admin');
    const after = await ocspStatus();
    expect(after).toContain(`${certFile}: revoked`);
    expect(after).toContain('Reason: keyCompromise');
    expect(after).toContain('Response verify OK');

    const crl = await app.inject({ method: 'GET', url: '/crl/issuing.crl' });
    const crlFile = join(ca.dir, 'after.crl');
    writeFileSync(crlFile, crl.rawPayload);
    const text = runTool('openssl', ['crl', '-inform', 'DER', '-in', crlFile, '-noout', '-text']).stdout;
    expect(text.toUpperCase()).toContain(serial.toUpperCase());
    expect(text).toContain('Key Compromise');
    const verify = runTool('openssl', ['verify', '-crl_check', '-CRLfile', crlFile, '-CAfile', chainFile, certFile]);
    expect(`${verify.stdout}${verify.stderr}`).toContain('certificate revoked');

    const audit = await listAudit(service.db, serial);
    expect(audit.map((a) => [a.action, a.actor])).toEqual([
      ['certificate.issue', 'test'],
      ['certificate.revoke', 'test-admin'],
    ]);
    await expect(service.revoke(serial, 'keyCompromise', 'test-admin')).rejects.toMatchObject({ code: 'CA_CERT_ALREADY_REVOKED' });
    await expect(service.revoke('01', 'keyCompromise', 'test-admin')).rejects.toMatchObject({ code: 'CA_CERT_NOT_FOUND' });
    await expect(service.revoke(serial, 'because', 'test-admin')).rejects.toMatchObject({ code: 'CA_REVOCATION_REASON_INVALID' });
  });

  it('answers the same bytes on the socket fast path as through the Fastify route', async () => {
    const reqFile = join(ca.dir, 'same.req');
    runTool('openssl', ['ocsp', '-issuer', ca.config.certificates.issuing, '-cert', certFile, '-reqout', reqFile, '-no_nonce']);
    const body = readFileSync(reqFile);
    const viaSocket = await fetch(`${url}/ocsp`, { method: 'POST', headers: { 'content-type': 'application/ocsp-request' }, body });
    expect(viaSocket.headers.get('content-type')).toBe('application/ocsp-response');
    const viaInject = await app.inject({ method: 'POST', url: '/ocsp', headers: { 'content-type': 'application/ocsp-request' }, payload: body });
    expect(Buffer.from(await viaSocket.arrayBuffer()).equals(viaInject.rawPayload)).toBe(true);
    const tooLarge = await fetch(`${url}/ocsp`, { method: 'POST', headers: { 'content-type': 'application/ocsp-request' }, body: new Uint8Array(20_000) });
    expect(tooLarge.status).toBe(413);
  });

  it('answers malformed and foreign requests with OCSP error statuses', async () => {
    const bad = await app.inject({ method: 'POST', url: '/ocsp', headers: { 'content-type': 'application/ocsp-request' }, payload: Buffer.from('nonsense') });
    expect(bad.statusCode).toBe(200);
    expect([...bad.rawPayload]).toEqual([0x30, 0x03, 0x0a, 0x01, 0x01]);
    // A request naming the root as issuer is not ours to answer (unauthorized).
    const reqFile = join(ca.dir, 'foreign.req');
    runTool('openssl', ['ocsp', '-issuer', ca.config.certificates.root, '-cert', ca.config.certificates.issuing, '-reqout', reqFile, '-no_nonce']);
    const foreign = await app.inject({ method: 'POST', url: '/ocsp', headers: { 'content-type': 'application/ocsp-request' }, payload: readFileSync(reqFile) });
    expect([...foreign.rawPayload]).toEqual([0x30, 0x03, 0x0a, 0x01, 0x06]);
  });
});
