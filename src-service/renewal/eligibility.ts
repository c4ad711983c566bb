/**
 * Eligibility: every business rule checked against the certificate, the CA's register and the
 * market policy. All failing rules are reported (the app shows each with what to do instead).
 */
import type { Kysely } from 'kysely';
import { ObnovaError, type ErrorCode } from '../../src-shared/contract/errors.js';
import type { EligibilityResponse, Reason } from '../../src-shared/contract/protocol/eligibility.js';
import type { Policy, RenewalPath } from '../../src-shared/contract/protocol/policy.js';
import { Certificate } from '../../src-shared/pki/certificate.js';
import { bytesEqual } from '../../src-shared/pki/encoding.js';
import { subjectName } from '../ca/subject.js';
import { countCertificatesOnCard, findCertificate, type IssuedCertificate } from '../db/certificates-repository.js';
import { getHolder } from '../db/holders-repository.js';
import type { Holder } from '../holders/holder-schema.js';
import { caDb, type RenewalDatabase } from './db/renewal-schema.js';

export interface Assessment {
  response: EligibilityResponse;
  certificate: Certificate;
  record: IssuedCertificate | null;
  holder: Holder | null;
}

const dayMs = 86_400_000;

function reason(code: ErrorCode, message: string, instead: string | null = 'apply-at-registration-office'): Reason {
  return { code, message, instead };
}

/** Checks `certDer` (or an already parsed certificate) against every rule at `now`. */
export async function assessCertificate(
  db: Kysely<RenewalDatabase>,
  issuing: Certificate,
  policy: Policy,
  input: Uint8Array | Certificate,
  now = new Date(),
): Promise<Assessment> {
  const certificate = input instanceof Certificate ? input : await Certificate.fromDer(input);
  const reasons: Reason[] = [];
  const windowOpensAt = new Date(certificate.notAfter.getTime() - policy.renewalWindowDays * dayMs);
  const base = {
    certificate: { serial: certificate.serialNumber, notAfter: certificate.notAfter.toISOString(), subject: certificate.subject },
    windowOpensAt: windowOpensAt.toISOString(),
    currency: policy.currency,
  };

  // Issued by this CA: the register holds exactly these bytes (every entry was signed by us, so no
  // signature check is needed then); otherwise the issuer's signature tells "other CA" from "not on record".
  const record = await findCertificate(caDb(db), certificate.serialNumber);
  const onRecord = !!record && bytesEqual(record.der, certificate.der);
  if (!onRecord || !record) {
    const fromUs = certificate.issuerNameHex === issuing.subjectNameHex && (await certificate.isSignedBy(issuing));
    reasons.push(
      fromUs
        ? reason('RENEWAL_CERT_NOT_ON_RECORD', `no certificate ${certificate.serialNumber} in the register`)
        : reason('RENEWAL_CERT_UNKNOWN_ISSUER', `${certificate.issuer} is not this CA (${issuing.subject})`),
    );
    return { response: { ...base, eligible: false, path: null, reasons, steps: [], price: null }, certificate, record: null, holder: null };
  }
  const holder = await getHolder(caDb(db), record.holderId);

  if (record.status === 'revoked') reasons.push(reason('RENEWAL_CERT_REVOKED', `revoked on ${record.revokedAt ?? '?'} (${record.revocationReason ?? 'unspecified'})`));
  const expired = now > certificate.notAfter;
  const legalOriginal = holder.kind === 'legal' && policy.legalEntity.procedure === 'original-issuance';
  if (expired && !(legalOriginal && policy.legalEntity.allowedAfterExpiry)) {
    reasons.push(reason('RENEWAL_CERT_EXPIRED', `expired on ${certificate.notAfter.toISOString()}`));
  }
  // Holder data changed: the subject the CA would issue today differs from the certificate's (name, company name, identifiers).
  // Same data version as at issuance means nothing changed; otherwise only subject-relevant changes count (not e-mail).
  if (holder.dataVersion !== record.holderDataVersion && subjectName(holder).toString() !== certificate.x509.subjectName.toString()) {
    reasons.push(reason('RENEWAL_HOLDER_DATA_CHANGED', 'the registered holder data no longer match the certificate subject'));
  }
  const key = certificate.keyAlgorithm;
  const keyOk = (key.name === 'RSA' && (key.size ?? 0) >= policy.acceptedKeys.rsaMinBits) || (key.name === 'EC' && key.curve !== null && policy.acceptedKeys.ecCurves.includes(key.curve));
  if (!keyOk) reasons.push(reason('RENEWAL_KEY_TYPE_NOT_ACCEPTED', `key ${key.name} ${key.size ?? key.curve ?? ''} is not accepted`));
  const personalNumber = certificate.holder.serialNumber ?? '';
  if (policy.requirePersonalNumber && !/^PNO[A-Z]{2}-\S+/.test(personalNumber)) {
    reasons.push(reason('RENEWAL_PERSONAL_NUMBER_MISSING', 'the certificate carries no personal number (PNO…)'));
  }
  // A certificate is renewed once: after an order for it was issued, the new certificate is the one to renew.
  const renewed = await db
    .selectFrom('renewal_orders')
    .select(['id', 'status'])
    .where('certificate_serial', '=', record.serial)
    .where('status', 'in', ['card-in-production', 'card-shipped', 'issued', 'completed'])
    .executeTakeFirst();
  if (renewed) reasons.push(reason('RENEWAL_ORDER_EXISTS', `this certificate was already renewed by order ${renewed.id} (${renewed.status})`, null));
  const hardFailure = reasons.length > 0;
  if (!hardFailure && !legalOriginal && now < windowOpensAt) {
    reasons.push(reason('RENEWAL_TOO_EARLY', `renewal opens on ${windowOpensAt.toISOString()}`, 'wait-for-window'));
  }

  let path: RenewalPath | null;
  let steps: string[] = [];
  if (legalOriginal && record.status !== 'revoked') {
    // RS: a legal entity's certificate is renewed by the original-issuance procedure, by its owner, also after expiry.
    reasons.push(reason('RENEWAL_LEGAL_ENTITY_PROCEDURE', 'legal-entity certificates follow the original-issuance procedure; only the owner may apply', 'follow-steps'));
    path = 'original-issuance';
    steps = policy.legalEntity.steps;
  } else if (reasons.some((r) => r.instead === 'apply-at-registration-office')) {
    path = 'original-issuance';
  } else {
    const onCard = record.cardId ? await countCertificatesOnCard(caDb(db), record.cardId) : null;
    path = onCard && onCard.renewal < policy.renewalsPerCard ? 'existing-media' : 'new-media';
  }
  const eligible = reasons.length === 0 && (path === 'existing-media' || path === 'new-media');
  const price = path === 'existing-media' || path === 'new-media' ? policy.prices[path] : null;
  return { response: { ...base, eligible, path, reasons, steps, price }, certificate, record, holder };
}

/** An ObnovaError for a refused order: the first reason's code, all reasons attached. */
export class RefusedError extends ObnovaError {
  constructor(readonly reasons: Reason[]) {
    const first = reasons[0] ?? reason('RENEWAL_NOT_ELIGIBLE', 'not eligible', null);
    super(first.code, first.message, { reasons: reasons.length });
  }
}
