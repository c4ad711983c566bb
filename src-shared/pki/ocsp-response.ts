/**
 * OCSP response checks (RFC 6960 §3.2, §4.2.2.2): status, signature, responder authorisation,
 * nonce, CertID and freshness. Each failure is its own code so the caller can fall back to the CRL.
 */
import 'reflect-metadata';
import { BasicOCSPResponse, OCSPResponse, OCSPResponseStatus, id_pkix_ocsp_basic, id_pkix_ocsp_nonce } from '@peculiar/asn1-ocsp';
import { AsnConvert } from '@peculiar/asn1-schema';
import { ObnovaError } from '../contract/errors.js';
import { Certificate } from './certificate.js';
import { signedParts } from './der-parts.js';
import { bytesEqual, toArrayBuffer, toHex } from './encoding.js';
import { type OcspRequestInfo, publicKeyHash, sameCertId } from './ocsp-request.js';
import { reasonName, type RevocationStatus } from './revocation-status.js';
import { verifySignature } from './signature.js';

const id_kp_OCSPSigning = '1.3.6.1.5.5.7.3.9';

export interface OcspCheckContext {
  request: OcspRequestInfo;
  issuer: Certificate;
  now: Date;
  /** Clock difference tolerated between us and the responder. */
  maxSkewMs: number;
  /** Oldest thisUpdate accepted when the response has no nextUpdate. */
  maxAgeMs: number;
  /** Responders trusted directly (RFC 6960 §4.2.2.2, first case). */
  trustedResponders: Certificate[];
}

export type OcspVerdict = RevocationStatus & { thisUpdate: Date; nextUpdate: Date | null };

function invalid(message: string, cause?: unknown): ObnovaError {
  return new ObnovaError('OCSP_RESPONSE_INVALID', message, undefined, cause === undefined ? undefined : { cause });
}

function parseBasic(der: Uint8Array): { basic: BasicOCSPResponse; basicDer: Uint8Array } {
  let response: OCSPResponse;
  try {
    response = AsnConvert.parse(toArrayBuffer(der), OCSPResponse);
  } catch (cause) {
    throw invalid('value is not an OCSPResponse', cause);
  }
  if (response.responseStatus !== OCSPResponseStatus.successful) {
    const status = OCSPResponseStatus[response.responseStatus] ?? String(response.responseStatus);
    throw new ObnovaError('OCSP_RESPONSE_ERROR', `responder answered ${status}`, { status });
  }
  if (!response.responseBytes || response.responseBytes.responseType !== id_pkix_ocsp_basic) throw invalid('response is not a BasicOCSPResponse');
  const basicDer = new Uint8Array(response.responseBytes.response.buffer);
  try {
    return { basic: AsnConvert.parse(toArrayBuffer(basicDer), BasicOCSPResponse), basicDer };
  } catch (cause) {
    throw invalid('BasicOCSPResponse does not parse', cause);
  }
}

/** Finds the certificate that signed the response and checks it may speak for `issuer`. */
async function authorisedSigner(basic: BasicOCSPResponse, basicDer: Uint8Array, ctx: OcspCheckContext): Promise<Certificate> {
  const parts = signedParts(basicDer);
  if (!parts) throw invalid('BasicOCSPResponse is not SEQUENCE { tbs, algorithm, signature }');
  const included: Certificate[] = [];
  for (const c of basic.certs ?? []) {
    try {
      included.push(await Certificate.fromDer(new Uint8Array(AsnConvert.serialize(c))));
    } catch (cause) {
      throw invalid('a certificate in the response does not parse', cause);
    }
  }
  const id = basic.tbsResponseData.responderID;
  const byName = id.byName ? toHex(new Uint8Array(AsnConvert.serialize(id.byName))) : null;
  const byKey = id.byKey ? new Uint8Array(id.byKey.buffer) : null;
  const candidates: Certificate[] = [];
  for (const c of [ctx.issuer, ...ctx.trustedResponders, ...included]) {
    const matches = byName ? c.subjectNameHex === byName : byKey ? bytesEqual(await publicKeyHash(c), byKey) : false;
    if (matches) candidates.push(c);
  }
  if (candidates.length === 0) throw new ObnovaError('OCSP_RESPONDER_UNAUTHORIZED', 'no known certificate matches the responder ID');
  let signer: Certificate | null = null;
  for (const c of candidates) {
    if (await verifySignature({ spki: c.subjectPublicKeyInfo, algorithm: parts.algorithm, data: parts.tbs, signature: parts.signature })) {
      signer = c;
      break;
    }
  }
  if (!signer) throw new ObnovaError('OCSP_BAD_SIGNATURE', 'OCSP response signature does not verify with the responder certificate');
  if (signer === ctx.issuer || ctx.trustedResponders.includes(signer)) return signer;
  // Delegated responder (RFC 6960 §4.2.2.2 case 3): issued by the CA itself, with id-kp-OCSPSigning, valid now.
  const delegated =
    signer.issuerNameHex === ctx.issuer.subjectNameHex &&
    signer.extendedKeyUsages.includes(id_kp_OCSPSigning) &&
    signer.isValidAt(ctx.now) &&
    (await signer.isSignedBy(ctx.issuer));
  if (!delegated) throw new ObnovaError('OCSP_RESPONDER_UNAUTHORIZED', `${signer.subject} is not authorised to answer for ${ctx.issuer.subject}`);
  return signer;
}

/** Verifies a DER OCSPResponse for the certificate in `ctx.request`; returns its status or throws a coded error. */
export async function verifyOcspResponse(der: Uint8Array, ctx: OcspCheckContext): Promise<OcspVerdict> {
  const { basic, basicDer } = parseBasic(der);
  await authorisedSigner(basic, basicDer, ctx);
  const data = basic.tbsResponseData;

  if (ctx.request.nonce) {
    const echoed = data.responseExtensions?.find((e) => e.extnID === id_pkix_ocsp_nonce);
    if (!echoed || !bytesEqual(new Uint8Array(echoed.extnValue.buffer), ctx.request.nonce)) {
      throw new ObnovaError('OCSP_NONCE_MISMATCH', echoed ? 'response nonce differs from the request nonce (replayed response?)' : 'response has no nonce');
    }
  }

  const single = data.responses.find((r) => sameCertId(r.certID, ctx.request.certId));
  if (!single) throw new ObnovaError('OCSP_CERT_ID_MISMATCH', 'response does not cover the requested certificate');

  const now = ctx.now.getTime();
  const thisUpdate = single.thisUpdate;
  const nextUpdate = single.nextUpdate ?? null;
  if (thisUpdate.getTime() > now + ctx.maxSkewMs) throw new ObnovaError('OCSP_RESPONSE_STALE', `thisUpdate ${thisUpdate.toISOString()} is in the future`);
  if (nextUpdate ? nextUpdate.getTime() < now - ctx.maxSkewMs : thisUpdate.getTime() < now - ctx.maxAgeMs) {
    throw new ObnovaError('OCSP_RESPONSE_STALE', `response from ${thisUpdate.toISOString()} is no longer current`, {
      thisUpdate: thisUpdate.toISOString(),
      nextUpdate: nextUpdate?.toISOString() ?? null,
    });
  }

  const status = single.certStatus;
  const times = { thisUpdate, nextUpdate };
  if (status.good !== undefined) return { status: 'good', ...times };
  if (status.revoked) return { status: 'revoked', reason: reasonName(status.revoked.revocationReason?.reason), revokedAt: status.revoked.revocationTime, ...times };
  return { status: 'unknown', ...times };
}
