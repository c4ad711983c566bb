/**
 * Issues a certificate from a verified PKCS#10 request and a holder record under a profile.
 * Checks run before signing; the signed certificate and its audit entry are stored in one
 * transaction, so a refused request leaves nothing behind.
 */
import 'reflect-metadata';
import type * as x509 from '@peculiar/x509';
import type { Kysely } from 'kysely';
import { ObnovaError } from '../../src-shared/contract/errors.js';
import { insertCertificate, type IssuedCertificate } from '../db/certificates-repository.js';
import { getHolder } from '../db/holders-repository.js';
import type { Database } from '../db/schema.js';
import type { Authority } from './authority.js';
import { addYears, signCertificate } from './certificate-signer.js';
import { checkCsr } from './csr-check.js';
import { endEntityExtensions } from './extensions.js';
import { keyIdentifier, spkiFingerprint } from './key-identifiers.js';
import { profileFor } from './profiles/load-profiles.js';
import { randomSerial } from './serial.js';
import { subjectAttributes, toName } from './subject.js';

export interface IssueRequest {
  /** PKCS#10, PEM text or DER bytes. */
  csr: Uint8Array | string;
  holderId: string;
  /** Profile id; default is the profile for the holder's kind. */
  profileId?: string;
  cardId?: string | null;
  kind?: 'original' | 'renewal';
  actor: string;
}

export interface IssueResult {
  certificate: x509.X509Certificate;
  record: IssuedCertificate;
  /** Issuing CA then root, DER. */
  chain: Uint8Array[];
}

/** Runs every check, signs in the HSM, stores certificate + audit atomically. */
export async function issueCertificate(authority: Authority, db: Kysely<Database>, request: IssueRequest, now = new Date()): Promise<IssueResult> {
  const holder = await getHolder(db, request.holderId);
  const profile = profileFor(authority.profiles, request.profileId ?? holder.kind);
  if (profile.holderKind !== holder.kind) {
    throw new ObnovaError('CA_PROFILE_HOLDER_MISMATCH', `profile ${profile.id} is for ${profile.holderKind} persons; holder ${holder.id} is ${holder.kind}`, {
      profile: profile.id,
      holderKind: holder.kind,
    });
  }
  if (request.cardId) {
    const card = await db.selectFrom('cards').select(['holder_id']).where('id', '=', request.cardId).executeTakeFirst();
    if (!card || card.holder_id !== holder.id) {
      throw new ObnovaError('CA_CARD_TOKEN_NOT_FOUND', `card ${request.cardId} is not registered to holder ${holder.id}`, { cardId: request.cardId });
    }
  }
  const attributes = subjectAttributes(holder);
  const checked = await checkCsr(request.csr, profile, attributes);

  const issuing = authority.issuing;
  const notBefore = new Date(Math.floor(now.getTime() / 1000) * 1000);
  const wanted = addYears(notBefore, profile.validity.years);
  // A certificate must not outlive its issuer (RFC 5280 §6.1.3 would reject it anyway).
  const notAfter = wanted > issuing.cert.notAfter ? issuing.cert.notAfter : wanted;
  const serial = randomSerial();
  const certificate = await signCertificate(
    {
      serial,
      subject: toName(attributes),
      issuer: issuing.cert.subjectName,
      spki: checked.spki,
      notBefore,
      notAfter,
      extensions: endEntityExtensions(profile, {
        baseUrl: authority.config.baseUrl,
        subjectKeyId: keyIdentifier(checked.spki),
        issuerKeyId: issuing.keyId,
        email: holder.email,
      }),
    },
    issuing.signer,
  );
  const record: IssuedCertificate = {
    serial,
    issuer: 'issuing',
    holderId: holder.id,
    cardId: request.cardId ?? null,
    profileId: profile.id,
    kind: request.kind ?? 'original',
    subject: certificate.subject,
    notBefore: notBefore.toISOString(),
    notAfter: notAfter.toISOString(),
    spkiSha256: spkiFingerprint(checked.spki),
    holderDataVersion: holder.dataVersion,
    der: new Uint8Array(certificate.rawData),
    issuedAt: now.toISOString(),
    status: 'good',
    revokedAt: null,
    revocationReason: null,
  };
  await insertCertificate(db, record, request.actor);
  return { certificate, record, chain: [issuing.der, authority.root.der] };
}
