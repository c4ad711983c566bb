/**
 * A CMP key update request (kur, RFC 9483 §4.1.3) turned into a certificate: the old certificate
 * (the request's protection certificate) must be this CA's, on record byte for byte; the new key is
 * proven by the CRMF signature POP. Then the policy decides: `paid-order` delivers the pickup of
 * the certificate's renewal order (the same exactly-once code as protocol v1), `open` runs v1's
 * eligibility and issues, once per old certificate.
 */
import { AsnConvert } from '@peculiar/asn1-schema';
import { Certificate as AsnCertificate } from '@peculiar/asn1-x509';
import { ObnovaError } from '../../../src-shared/contract/errors.js';
import { CertId, idRegCtrlOldCertId, type CertReqMsg } from '../../../src-shared/pki/cmp/crmf-asn1.js';
import { popVerifies } from '../../../src-shared/pki/cmp/crmf-pop.js';
import { bytesEqual, toHex } from '../../../src-shared/pki/encoding.js';
import { spkiFingerprint } from '../../ca/key-identifiers.js';
import { findCertificate, type IssuedCertificate } from '../../db/certificates-repository.js';
import { caDb } from '../db/renewal-schema.js';
import { assessCertificate, RefusedError } from '../eligibility.js';
import { toOrder } from '../orders/order-repository.js';
import { deliverOrder } from '../pickup.js';
import type { RenewalContext } from '../renewal-context.js';
import { CmpFailure } from './cmp-failure.js';
import { nameDer } from './cmp-envelope.js';

export interface KeyUpdateResult {
  certificate: Uint8Array;
  oldSerial: string;
  newSerial: string;
}

/** Statuses of an order that a kur may pick up (or find already picked up). */
const deliverable = ['awaiting-payment', 'paid', 'ready-for-pickup', 'issued', 'completed'] as const;

/** The single CertReqMsg of a kur with its POP and oldCertID checked; returns the new key's SPKI. */
export async function checkCertRequest(messages: CertReqMsg[], oldCertDer: Uint8Array): Promise<{ spki: Uint8Array; certReqId: number }> {
  if (messages.length !== 1) throw new CmpFailure('badRequest', 'CMP_MESSAGE_INVALID', `a kur carries exactly one request, not ${messages.length}`);
  const request = messages[0]!;
  const publicKey = request.certReq.certTemplate.publicKey;
  if (!publicKey) throw new CmpFailure('badCertTemplate', 'CMP_MESSAGE_INVALID', 'the certificate template has no public key');
  if (!(await popVerifies(request))) throw new CmpFailure('badPOP', 'CMP_MESSAGE_INVALID', 'the proof of possession is not a valid signature by the new key');
  const old = AsnConvert.parse(oldCertDer, AsnCertificate).tbsCertificate;
  for (const control of request.certReq.controls ?? []) {
    if (control.type !== idRegCtrlOldCertId) continue;
    const id = AsnConvert.parse(control.value, CertId);
    const sameIssuer = id.issuer.directoryName !== undefined && bytesEqual(nameDer(id.issuer.directoryName), nameDer(old.issuer));
    if (!sameIssuer || toHex(new Uint8Array(id.serialNumber)) !== toHex(new Uint8Array(old.serialNumber))) {
      throw new CmpFailure('badCertId', 'CMP_MESSAGE_INVALID', 'oldCertID does not name the certificate that protects the request');
    }
  }
  return { spki: new Uint8Array(AsnConvert.serialize(publicKey)), certReqId: request.certReq.certReqId };
}

/** A certificate's serial as the register writes it: lowercase hex without leading zero bytes. */
export function serialOf(certDer: Uint8Array): string {
  return toHex(new Uint8Array(AsnConvert.parse(certDer, AsnCertificate).tbsCertificate.serialNumber)).replace(/^(00)+(?=.)/, '');
}

/** The register's entry for the protection certificate, byte for byte (else the signer is not one of ours). */
async function recordOf(ctx: RenewalContext, certDer: Uint8Array): Promise<IssuedCertificate> {
  const serial = serialOf(certDer);
  const record = await findCertificate(caDb(ctx.db), serial);
  if (!record || !bytesEqual(record.der, certDer)) throw new ObnovaError('RENEWAL_CERT_NOT_ON_RECORD', `certificate ${serial} is not in this CA's register`);
  return record;
}

/** Issues (or finds again) the successor of `oldCertDer` for `spki`. */
export async function keyUpdate(ctx: RenewalContext, oldCertDer: Uint8Array, spki: Uint8Array): Promise<KeyUpdateResult> {
  const current = await recordOf(ctx, oldCertDer);
  if (current.status === 'revoked') throw new ObnovaError('RENEWAL_CERT_REVOKED', `certificate ${current.serial} is revoked`);
  if (new Date(current.notAfter) < ctx.now()) throw new ObnovaError('RENEWAL_CERT_EXPIRED', `certificate ${current.serial} expired on ${current.notAfter}`);
  const issued = (ctx.policy.cmpKeyUpdate ?? 'paid-order') === 'open' ? await openUpdate(ctx, current, spki) : await orderUpdate(ctx, current, spki);
  const record = await findCertificate(caDb(ctx.db), issued);
  if (!record) throw new ObnovaError('INTERNAL', `certificate ${issued} vanished`);
  return { certificate: record.der, oldSerial: current.serial, newSerial: record.serial };
}

async function orderUpdate(ctx: RenewalContext, current: IssuedCertificate, spki: Uint8Array): Promise<string> {
  const row = await ctx.db
    .selectFrom('renewal_orders')
    .selectAll()
    .where('certificate_serial', '=', current.serial)
    .where('status', 'in', [...deliverable])
    .orderBy('created_at', 'desc')
    .executeTakeFirst();
  if (!row) throw new ObnovaError('ORDER_NOT_FOUND', `no renewal order for certificate ${current.serial}: order and pay first`);
  const picked = await deliverOrder(ctx, toOrder(row), current, { spki, publicKey: spki });
  return picked.serial;
}

/** `open`: v1's eligibility, then one successor per old certificate (the same key again gets it again). */
async function openUpdate(ctx: RenewalContext, current: IssuedCertificate, spki: Uint8Array): Promise<string> {
  const spkiHash = spkiFingerprint(spki);
  if (spkiHash === current.spkiSha256) throw new ObnovaError('RENEWAL_CSR_SAME_KEY', 'the request reuses the key of the current certificate');
  const earlier = await ctx.db
    .selectFrom('cmp_transactions')
    .innerJoin('certificates', 'certificates.serial', 'cmp_transactions.new_serial')
    .select(['certificates.serial', 'certificates.spki_sha256'])
    .where('cmp_transactions.old_serial', '=', current.serial)
    .executeTakeFirst();
  if (earlier) {
    if (earlier.spki_sha256 === spkiHash) return earlier.serial;
    throw new ObnovaError('ORDER_ALREADY_ISSUED', `certificate ${current.serial} was already updated to ${earlier.serial} for another key`);
  }
  const assessment = await assessCertificate(ctx.db, ctx.issuing, ctx.policy, current.der, ctx.now());
  if (!assessment.response.eligible) throw new RefusedError(assessment.response.reasons);
  if (assessment.response.path !== 'existing-media') throw new ObnovaError('ORDER_PATH_MISMATCH', 'this card cannot take another certificate: a new card is needed');
  const issued = await ctx.ca.issue({ publicKey: spki, holderId: current.holderId, cardId: current.cardId, kind: 'renewal', actor: `cmp:${current.serial}` });
  return issued.record.serial;
}
