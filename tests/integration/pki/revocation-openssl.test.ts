import { readFileSync, rmSync } from 'node:fs';
import 'reflect-metadata';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import * as x509 from '@peculiar/x509';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkCrl, CrlCache, verifyCrl } from '../../../src-shared/pki/crl-client.js';
import { defaultFetch, type FetchLike } from '../../../src-shared/pki/http-fetch.js';
import { checkOcsp } from '../../../src-shared/pki/ocsp-client.js';
import { checkRevocation } from '../../../src-shared/pki/revocation.js';
import { createTestPki, issue, type Issued, tempDir, type TestPki, writeIssued } from '../../helpers/pki/pki-factory.js';
import { freePort, generateCrl, type Responder, startOcspResponder, writeIndex } from '../../helpers/pki/openssl-responder.js';
import { codeOf } from '../../helpers/error-code.js';

let pki: TestPki;
let dir: string;
let responder: Responder;
let rogueResponder: Responder;
let impostorResponder: Responder;
let crlServer: Server;
let crlBody: Uint8Array = new Uint8Array();
let crlFetches = 0;
const revokedAt = new Date(Date.now() - 3 * 3_600_000);
revokedAt.setUTCMilliseconds(0);

beforeAll(async () => {
  dir = tempDir();
  crlServer = createServer((req, res) => {
    crlFetches++;
    if (req.url !== '/issuing.crl') return void res.writeHead(404).end();
    res.writeHead(200, { 'content-type': 'application/pkix-crl' }).end(crlBody);
  });
  await new Promise<void>((r) => crlServer.listen(0, '127.0.0.1', r));
  const crlPort = (crlServer.address() as { port: number }).port;
  const [ocspPort, roguePort, impostorPort] = [await freePort(), await freePort(), await freePort()];
  pki = await createTestPki({ ocspUrl: `http://127.0.0.1:${ocspPort}/ocsp`, crlUrl: `http://127.0.0.1:${crlPort}/issuing.crl` });

  const issuingPem = await writeIssued(dir, 'issuing', pki.issuing, true);
  const responderPem = await writeIssued(dir, 'responder', pki.ocspResponder, true);
  // A responder certificate from another CA, and a self-made one wearing the issuing CA's name.
  const rogue: Issued = await issue({ subject: 'CN=Rogue OCSP,C=SI', issuer: pki.otherCa, extendedKeyUsage: [x509.ExtendedKeyUsage.ocspSigning], keyUsage: x509.KeyUsageFlags.digitalSignature });
  const impostor: Issued = await issue({ subject: pki.issuing.certificate.subject, ca: true });
  const roguePem = await writeIssued(dir, 'rogue', rogue, true);
  const impostorPem = await writeIssued(dir, 'impostor', impostor, true);

  const index = writeIndex(dir, [{ issued: pki.person }, { issued: pki.legal, revoked: { at: revokedAt, reason: 'keyCompromise' } }]);
  const common = { dir, caPem: issuingPem, index, nmin: 5 };
  [responder, rogueResponder, impostorResponder] = await Promise.all([
    startOcspResponder({ ...common, port: ocspPort, signerPem: responderPem, signerKey: join(dir, 'responder.key') }),
    startOcspResponder({ ...common, port: roguePort, signerPem: roguePem, signerKey: join(dir, 'rogue.key') }),
    startOcspResponder({ ...common, port: impostorPort, signerPem: impostorPem, signerKey: join(dir, 'impostor.key') }),
  ]);
  crlBody = new Uint8Array(readFileSync(generateCrl({ dir, caPem: issuingPem, caKey: join(dir, 'issuing.key'), index })));
}, 30_000);

afterAll(async () => {
  await Promise.all([responder, rogueResponder, impostorResponder].filter(Boolean).map((r) => r.stop()));
  await new Promise((r) => crlServer?.close(r));
  rmSync(dir, { recursive: true, force: true });
});

describe('OCSP client against openssl ocsp', () => {
  it('good: a valid certificate, with the source and validity window', async () => {
    const r = await checkOcsp(pki.person.certificate, pki.issuing.certificate);
    expect(r.status).toBe('good');
    expect(r.source).toBe('ocsp');
    expect(r.url).toBe(responder.url);
    expect(r.nextUpdate!.getTime() - r.thisUpdate.getTime()).toBe(5 * 60_000);
  });

  it('revoked: with reason and time from the CA database', async () => {
    const r = await checkOcsp(pki.legal.certificate, pki.issuing.certificate);
    expect(r).toMatchObject({ status: 'revoked', reason: 'keyCompromise', revokedAt });
  });

  it('unknown: a serial the CA database does not list', async () => {
    expect((await checkOcsp(pki.plain.certificate, pki.issuing.certificate)).status).toBe('unknown');
  });

  it('a responder certified by another CA is OCSP_RESPONDER_UNAUTHORIZED', async () => {
    expect(await codeOf(checkOcsp(pki.person.certificate, pki.issuing.certificate, { url: rogueResponder.url }))).toBe('OCSP_RESPONDER_UNAUTHORIZED');
  });

  it('a responder key wearing the CA name is OCSP_RESPONDER_UNAUTHORIZED', async () => {
    expect(await codeOf(checkOcsp(pki.person.certificate, pki.issuing.certificate, { url: impostorResponder.url }))).toBe('OCSP_RESPONDER_UNAUTHORIZED');
  });

  it('a response past its nextUpdate is OCSP_RESPONSE_STALE', async () => {
    const later = new Date(Date.now() + 3_600_000);
    expect(await codeOf(checkOcsp(pki.person.certificate, pki.issuing.certificate, { now: later }))).toBe('OCSP_RESPONSE_STALE');
  });

  it('a replayed response (nonce mismatch) is OCSP_NONCE_MISMATCH', async () => {
    let recorded: ArrayBuffer | null = null;
    const recording: FetchLike = async (url, init) => {
      const res = await defaultFetch(url, init);
      recorded = await res.arrayBuffer();
      return { ok: true, status: 200, headers: { get: () => null }, arrayBuffer: async () => recorded! };
    };
    await checkOcsp(pki.person.certificate, pki.issuing.certificate, { fetch: recording });
    const replay: FetchLike = async () => ({ ok: true, status: 200, headers: { get: () => null }, arrayBuffer: async () => recorded! });
    expect(await codeOf(checkOcsp(pki.person.certificate, pki.issuing.certificate, { fetch: replay }))).toBe('OCSP_NONCE_MISMATCH');
  });

  it('a response about another certificate is OCSP_CERT_ID_MISMATCH', async () => {
    const other: FetchLike = async (url, init) => {
      // Ask the real responder about `legal` whatever we were asked.
      const { buildOcspRequest } = await import('../../../src-shared/pki/ocsp-request.js');
      const forged = await buildOcspRequest(pki.legal.certificate, pki.issuing.certificate, false);
      return defaultFetch(url, { ...init, body: forged.der });
    };
    expect(await codeOf(checkOcsp(pki.person.certificate, pki.issuing.certificate, { fetch: other, nonce: false }))).toBe('OCSP_CERT_ID_MISMATCH');
  });

  it('garbage, HTTP errors and a closed port are coded', async () => {
    const garbage: FetchLike = async () => ({ ok: true, status: 200, headers: { get: () => null }, arrayBuffer: async () => new Uint8Array([0x04, 0x03, 0x01, 0x02, 0x03]).buffer });
    expect(await codeOf(checkOcsp(pki.person.certificate, pki.issuing.certificate, { fetch: garbage }))).toBe('OCSP_RESPONSE_INVALID');
    const tryLater: FetchLike = async () => ({ ok: true, status: 200, headers: { get: () => null }, arrayBuffer: async () => new Uint8Array([0x30, 0x03, 0x0a, 0x01, 0x03]).buffer });
    expect(await codeOf(checkOcsp(pki.person.certificate, pki.issuing.certificate, { fetch: tryLater }))).toBe('OCSP_RESPONSE_ERROR');
    const closed = `http://127.0.0.1:${await freePort()}/ocsp`;
    expect(await codeOf(checkOcsp(pki.person.certificate, pki.issuing.certificate, { url: closed }))).toBe('OCSP_HTTP_FAILED');
    expect(await codeOf(checkOcsp(pki.root.certificate, pki.root.certificate))).toBe('OCSP_NO_URL');
  });
});

describe('CRL client against openssl ca -gencrl', () => {
  it('finds the revoked certificate with its reason, and reports listed-nowhere as good', async () => {
    const legal = await checkCrl(pki.legal.certificate, pki.issuing.certificate);
    expect(legal).toMatchObject({ status: 'revoked', reason: 'keyCompromise', revokedAt, source: 'crl' });
    expect((await checkCrl(pki.person.certificate, pki.issuing.certificate)).status).toBe('good');
  });

  it('caches a verified CRL until its nextUpdate', async () => {
    const cache = new CrlCache();
    const before = crlFetches;
    await checkCrl(pki.person.certificate, pki.issuing.certificate, { cache });
    await checkCrl(pki.legal.certificate, pki.issuing.certificate, { cache });
    expect(crlFetches - before).toBe(1);
    await checkCrl(pki.person.certificate, pki.issuing.certificate, { cache, now: new Date(Date.now() + 25 * 3_600_000) }).catch(() => undefined);
    expect(crlFetches - before).toBe(2);
  });

  it('refuses a stale CRL, a CRL of another issuer and a tampered CRL', async () => {
    const later = new Date(Date.now() + 25 * 3_600_000);
    expect(await codeOf(checkCrl(pki.person.certificate, pki.issuing.certificate, { now: later }))).toBe('CRL_STALE');
    expect(await codeOf(verifyCrl(crlBody, pki.root.certificate, new Date()))).toBe('CRL_ISSUER_MISMATCH');
    const pem = new TextDecoder().decode(crlBody);
    const { fromPem } = await import('../../../src-shared/pki/pem.js');
    const der = fromPem(pem, 'X509 CRL').slice();
    der[der.length - 3]! ^= 0x01;
    expect(await codeOf(verifyCrl(der, pki.issuing.certificate, new Date()))).toBe('CRL_BAD_SIGNATURE');
    expect(await codeOf(verifyCrl(new Uint8Array([1, 2, 3]), pki.issuing.certificate, new Date()))).toBe('CRL_PARSE_FAILED');
  });
});

describe('revocation: OCSP first, CRL as fallback', () => {
  it('uses OCSP when it answers', async () => {
    const r = await checkRevocation(pki.legal.certificate, pki.issuing.certificate);
    expect(r).toMatchObject({ status: 'revoked', source: 'ocsp', attempts: [] });
  });

  it('falls back to the CRL when the OCSP answer cannot be trusted, and says why', async () => {
    const r = await checkRevocation(pki.legal.certificate, pki.issuing.certificate, { ocsp: { url: rogueResponder.url } });
    expect(r).toMatchObject({ status: 'revoked', source: 'crl', reason: 'keyCompromise' });
    expect(r.attempts.map((a) => a.code)).toEqual(['OCSP_RESPONDER_UNAUTHORIZED']);
  });

  it('is unknown with both reasons when neither source answers', async () => {
    const down: FetchLike = () => Promise.reject(new Error('offline'));
    const r = await checkRevocation(pki.person.certificate, pki.issuing.certificate, { fetch: down });
    expect(r).toMatchObject({ status: 'unknown', source: null });
    expect(r.attempts.map((a) => a.code)).toEqual(['OCSP_HTTP_FAILED', 'CRL_HTTP_FAILED']);
  });
});
