/**
 * OCSP responder (RFC 6960) for the issuing CA, signed by the delegated responder key in the
 * HSM. Responses are pre-signed and cached per (hash algorithm, serial) until half their
 * validity has passed; a revocation replaces the cached response at once.
 */
import 'reflect-metadata';
import { createHash } from 'node:crypto';
import { AsnConvert, OctetString } from '@peculiar/asn1-schema';
import {
  BasicOCSPResponse,
  CertID,
  CertStatus,
  OCSPRequest,
  OCSPResponse,
  OCSPResponseStatus,
  ResponderID,
  ResponseBytes,
  ResponseData,
  RevokedInfo,
  SingleResponse,
  id_pkix_ocsp_basic,
} from '@peculiar/asn1-ocsp';
import { Certificate as AsnCertificate, CRLReason, SubjectPublicKeyInfo } from '@peculiar/asn1-x509';
import * as x509 from '@peculiar/x509';
import type { Kysely } from 'kysely';
import { findCertificate, type IssuedCertificate } from '../db/certificates-repository.js';
import type { Database } from '../db/schema.js';
import type { CaMember } from './authority.js';
import { ClientBudget } from './ocsp-client-budget.js';
import { reasonCode } from './revocation-reasons.js';

const hashByOid: Record<string, string> = {
  '1.3.14.3.2.26': 'sha1',
  '2.16.840.1.101.3.4.2.1': 'sha256',
  '2.16.840.1.101.3.4.2.2': 'sha384',
  '2.16.840.1.101.3.4.2.3': 'sha512',
};

/** What an answer said: a certificate status, or the error status of a request that got none. */
export type OcspAnswerStatus = 'good' | 'revoked' | 'unknown' | 'several' | 'malformedRequest' | 'unauthorized' | 'internalError' | 'tryLater';

interface CachedResponse {
  der: Uint8Array;
  refreshAt: number;
  status: OcspAnswerStatus;
}

/** Fixed, unsigned OCSPResponse bodies for the error statuses (RFC 6960 §4.2.1). */
function statusOnly(status: OCSPResponseStatus): Uint8Array {
  return new Uint8Array(AsnConvert.serialize(new OCSPResponse({ responseStatus: status })));
}
const malformed = statusOnly(OCSPResponseStatus.malformedRequest);
const unauthorized = statusOnly(OCSPResponseStatus.unauthorized);
const internalError = statusOnly(OCSPResponseStatus.internalError);
const tryLater = statusOnly(OCSPResponseStatus.tryLater);
/**
 * A serial this CA never issued (or has no record of) gets a constant answer: RFC 5019 §2.2.3
 * `unauthorized`, unsigned. A signed `unknown` would have to echo the asked CertID, so every junk
 * serial would cost an HSM signature and push a real answer out of the cache.
 */
const notIssuedHere: CachedResponse = { der: unauthorized, refreshAt: 0, status: 'unauthorized' };
const overBudget: CachedResponse = { der: tryLater, refreshAt: 0, status: 'tryLater' };

export interface OcspOptions {
  validityMinutes: number;
  cacheLimit: number;
  /** Fresh signatures one client may cause: per second and at once (see ClientBudget). */
  clientSignaturesPerSecond?: number;
  clientSignatureBurst?: number;
}

export class OcspResponder {
  /** HSM signatures made since start (each a cache miss for a serial we issued, or a warm-up). */
  signatures = 0;
  /** Answers given since start, by status (read by /metrics). */
  readonly answers = new Map<OcspAnswerStatus, number>();
  private readonly cache = new Map<string, CachedResponse>();
  private readonly budget: ClientBudget;
  /**
   * The same request bytes always get the same pre-signed answer (there is no nonce to echo),
   * so repeat requests skip ASN.1 parsing altogether: the hot path is one Map lookup.
   */
  private readonly byRequestBytes = new Map<string, CachedResponse & { serial: string }>();
  private readonly requestKeysBySerial = new Map<string, Set<string>>();
  private readonly issuerHashes = new Map<string, { name: string; key: string }>();
  private readonly responderId: ResponderID;
  private readonly signerCert: AsnCertificate;
  private readonly signatureAlgorithm;

  constructor(
    private readonly issuer: CaMember,
    private readonly responder: CaMember,
    private readonly db: Kysely<Database>,
    private readonly options: OcspOptions,
  ) {
    const issuerName = new Uint8Array(issuer.cert.subjectName.toArrayBuffer());
    const issuerKey = new Uint8Array(AsnConvert.parse(issuer.cert.publicKey.rawData, SubjectPublicKeyInfo).subjectPublicKey);
    for (const [oid, alg] of Object.entries(hashByOid)) {
      this.issuerHashes.set(oid, { name: createHash(alg).update(issuerName).digest('hex'), key: createHash(alg).update(issuerKey).digest('hex') });
    }
    this.budget = new ClientBudget({ perSecond: options.clientSignaturesPerSecond ?? 20, burst: options.clientSignatureBurst ?? 40 });
    this.responderId = new ResponderID({ byKey: new OctetString(Buffer.from(responder.keyId, 'hex')) });
    this.signerCert = AsnConvert.parse(responder.der, AsnCertificate);
    const algorithm = { ...responder.signer.algorithm, ...(responder.signer.privateKey.algorithm as object) };
    this.signatureAlgorithm = { webcrypto: algorithm, asn: new x509.AlgorithmProvider().toAsnAlgorithm(algorithm as never) };
  }

  /** Number of cached pre-signed responses. */
  get cacheSize(): number {
    return this.cache.size;
  }

  /** The pre-signed answer for exactly these request bytes if one is cached and fresh, synchronously. */
  cachedAnswer(requestDer: Uint8Array, now = Date.now()): Uint8Array | null {
    const hit = this.byRequestBytes.get(Buffer.from(requestDer.buffer, requestDer.byteOffset, requestDer.byteLength).toString('latin1'));
    if (!hit || hit.refreshAt <= now) return null;
    this.answers.set(hit.status, (this.answers.get(hit.status) ?? 0) + 1);
    return hit.der;
  }

  /**
   * DER OCSPResponse for a DER OCSPRequest; malformed input gets malformedRequest, never an
   * exception. `client` (its address) is charged for any fresh signature the answer needs.
   */
  async respond(requestDer: Uint8Array, now = new Date(), client = 'local'): Promise<Uint8Array> {
    const { der, status } = await this.answer(requestDer, now, client);
    this.answers.set(status, (this.answers.get(status) ?? 0) + 1);
    return der;
  }

  private async answer(requestDer: Uint8Array, now: Date, client: string): Promise<{ der: Uint8Array; status: OcspAnswerStatus }> {
    const bytesKey = Buffer.from(requestDer.buffer, requestDer.byteOffset, requestDer.byteLength).toString('latin1');
    const hit = this.byRequestBytes.get(bytesKey);
    if (hit && hit.refreshAt > now.getTime()) return hit;
    let request: OCSPRequest;
    try {
      request = AsnConvert.parse(requestDer, OCSPRequest);
    } catch {
      return { der: malformed, status: 'malformedRequest' };
    }
    const list = request.tbsRequest.requestList;
    if (list.length === 0 || list.length > 16) return { der: malformed, status: 'malformedRequest' };
    try {
      if (list.length === 1) {
        const certId = list[0]!.reqCert;
        if (!this.isOurs(certId)) return { der: unauthorized, status: 'unauthorized' };
        const entry = await this.cachedEntry(certId, now, client);
        if (entry.refreshAt > 0) this.rememberRequest(bytesKey, serialHex(certId), entry);
        return entry;
      }
      for (const r of list) if (!this.isOurs(r.reqCert)) return { der: unauthorized, status: 'unauthorized' };
      const records = await Promise.all(list.map((r) => this.issuedHere(r.reqCert)));
      if (records.some((r) => r === null)) return notIssuedHere;
      if (!this.budget.take(client, now.getTime())) return overBudget;
      return { der: await this.sign(list.map((r, i) => this.singleResponse(r.reqCert, records[i]!, now)), now), status: 'several' };
    } catch {
      return { der: internalError, status: 'internalError' };
    }
  }

  /** Pre-signs the SHA-1 CertID response (what openssl and most clients ask for) for each serial. */
  async warm(serials: string[], now = new Date()): Promise<void> {
    for (const serial of serials) {
      if (this.cache.size >= this.options.cacheLimit) return;
      await this.cached(this.certIdFor(serial, '1.3.14.3.2.26'), now);
    }
  }

  /** Replaces the cached responses of a serial (after revocation) with freshly signed ones. */
  async refresh(serial: string, now = new Date()): Promise<void> {
    const key = serial.toLowerCase();
    for (const requestKey of this.requestKeysBySerial.get(key) ?? []) this.byRequestBytes.delete(requestKey);
    this.requestKeysBySerial.delete(key);
    const oids = [...this.cache.keys()].filter((k) => k.endsWith(`:${key}`)).map((k) => k.split(':')[0]!);
    for (const oid of new Set([...oids, '1.3.14.3.2.26'])) {
      this.cache.delete(`${oid}:${key}`);
      await this.cached(this.certIdFor(key, oid), now);
    }
  }

  /** A CertID for one of our serials under the given hash algorithm. */
  certIdFor(serial: string, hashOid: string): CertID {
    const hashes = this.issuerHashes.get(hashOid)!;
    const cid = new CertID();
    cid.hashAlgorithm.algorithm = hashOid;
    cid.hashAlgorithm.parameters = null;
    cid.issuerNameHash = new OctetString(Buffer.from(hashes.name, 'hex'));
    cid.issuerKeyHash = new OctetString(Buffer.from(hashes.key, 'hex'));
    cid.serialNumber = new Uint8Array(Buffer.from(serial, 'hex')).buffer;
    return cid;
  }

  private rememberRequest(bytesKey: string, serial: string, entry: CachedResponse): void {
    if (this.byRequestBytes.size >= this.options.cacheLimit) {
      const oldest = this.byRequestBytes.keys().next().value as string;
      const entry = this.byRequestBytes.get(oldest);
      this.byRequestBytes.delete(oldest);
      if (entry) this.requestKeysBySerial.get(entry.serial)?.delete(oldest);
    }
    this.byRequestBytes.set(bytesKey, { ...entry, serial });
    let keys = this.requestKeysBySerial.get(serial);
    if (!keys) this.requestKeysBySerial.set(serial, (keys = new Set()));
    keys.add(bytesKey);
  }

  private isOurs(certId: CertID): boolean {
    const hashes = this.issuerHashes.get(certId.hashAlgorithm.algorithm);
    if (!hashes) return false;
    return (
      Buffer.from(certId.issuerNameHash.buffer).toString('hex') === hashes.name &&
      Buffer.from(certId.issuerKeyHash.buffer).toString('hex') === hashes.key
    );
  }

  private async cached(certId: CertID, now: Date): Promise<Uint8Array> {
    return (await this.cachedEntry(certId, now)).der;
  }

  /** Our record of the serial, or null when this issuing CA never issued it. */
  private async issuedHere(certId: CertID): Promise<IssuedCertificate | null> {
    const record = await findCertificate(this.db, serialHex(certId));
    return record && record.issuer === 'issuing' ? record : null;
  }

  /**
   * The cached answer, else a freshly signed one that is cached — only for serials we issued, and
   * (for a request from `client`) only within that client's signature budget. Junk never enters
   * the cache, so it cannot push real answers out.
   */
  private async cachedEntry(certId: CertID, now: Date, client?: string): Promise<CachedResponse> {
    const key = `${certId.hashAlgorithm.algorithm}:${serialHex(certId)}`;
    const hit = this.cache.get(key);
    if (hit && hit.refreshAt > now.getTime()) return hit;
    const record = await this.issuedHere(certId);
    if (!record) return notIssuedHere;
    if (client !== undefined && !this.budget.take(client, now.getTime())) return overBudget;
    const single = this.singleResponse(certId, record, now);
    const der = await this.sign([single], now);
    if (this.cache.size >= this.options.cacheLimit) this.cache.delete(this.cache.keys().next().value as string);
    // Refresh at half the validity so a cached response is never served close to its nextUpdate.
    const status: OcspAnswerStatus = single.certStatus.good !== undefined ? 'good' : single.certStatus.revoked ? 'revoked' : 'unknown';
    const entry = { der, refreshAt: now.getTime() + (this.options.validityMinutes * 60_000) / 2, status };
    this.cache.set(key, entry);
    return entry;
  }

  private singleResponse(certId: CertID, record: IssuedCertificate, now: Date): SingleResponse {
    const thisUpdate = new Date(Math.floor(now.getTime() / 1000) * 1000);
    const nextUpdate = new Date(thisUpdate.getTime() + this.options.validityMinutes * 60_000);
    const certStatus =
      record.status === 'revoked'
        ? new CertStatus({
            revoked: new RevokedInfo({ revocationTime: new Date(record.revokedAt ?? now), revocationReason: new CRLReason(reasonCode(record.revocationReason ?? 'unspecified')) }),
          })
        : new CertStatus({ good: null });
    return new SingleResponse({ certID: certId, certStatus, thisUpdate, nextUpdate });
  }

  private async sign(responses: SingleResponse[], now: Date): Promise<Uint8Array> {
    const tbs = new ResponseData({ responderID: this.responderId, producedAt: new Date(Math.floor(now.getTime() / 1000) * 1000), responses });
    const tbsDer = AsnConvert.serialize(tbs);
    this.signatures++;
    const raw = await this.responder.signer.sign(tbsDer);
    let signature: ArrayBuffer = raw;
    if (this.signatureAlgorithm.webcrypto.name === 'ECDSA') {
      signature = new x509.AsnEcSignatureFormatter().toAsnSignature(this.signatureAlgorithm.webcrypto as never, raw) ?? raw;
    }
    const basic = new BasicOCSPResponse({ tbsResponseData: tbs, signatureAlgorithm: this.signatureAlgorithm.asn, signature, certs: [this.signerCert] });
    const response = new OCSPResponse({
      responseStatus: OCSPResponseStatus.successful,
      responseBytes: new ResponseBytes({ responseType: id_pkix_ocsp_basic, response: new OctetString(AsnConvert.serialize(basic)) }),
    });
    return new Uint8Array(AsnConvert.serialize(response));
  }
}

/** CertID serial as lowercase hex without a sign-padding zero byte. */
function serialHex(certId: CertID): string {
  const bytes = Buffer.from(certId.serialNumber);
  const start = bytes.length > 1 && bytes[0] === 0 ? 1 : 0;
  return bytes.subarray(start).toString('hex');
}
