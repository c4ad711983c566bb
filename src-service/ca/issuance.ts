/**
 * Issues a certificate from a verified PKCS#10 request and a holder record under a profile.
 * Checks run before signing; the signed certificate and its audit entry are stored in one
 * transaction (with the caller's `along` work, e.g. the order's move to issued), so a refused
 * request, a rejected order or a crash before COMMIT leaves nothing behind.
 */
import 'reflect-metadata';
import { createHash } from 'node:crypto';
import * as x509 from '@peculiar/x509';
import type { Kysely } from 'kysely';
import { ObnovaError } from '../../src-shared/contract/errors.js';
import { insertCertificate, type AlongWithCertificate, type IssuedCertificate } from '../db/certificates-repository.js';
import { getHolder } from '../db/holders-repository.js';
import type { Database } from '../db/schema.js';
import type { Authority } from './authority.js';
import { addYears } from './certificate-signer.js';
import { checkCsr, checkPublicKey } from './csr-check.js';
import { EndEntityTemplate } from './end-entity-template.js';
import { spkiFingerprint } from './key-identifiers.js';
import { profileFor } from './profiles/load-profiles.js';
import type { Profile } from './profiles/profile-schema.js';
import { randomSerial } from './serial.js';
import { subjectAttributes, toName } from './subject.js';

interface IssueRequestBase {
  holderId: string;
  /** Profile id; default is the profile for the holder's kind. */
  profileId?: string;
  cardId?: string | null;
  kind?: 'original' | 'renewal';
  actor: string;
  /** The renewal order this is for: stored on the certificate row, which allows one per order. */
  orderId?: string | null;
  /** Runs in the transaction that stores the certificate; a throw there stores nothing. */
  along?: AlongWithCertificate;
}

/**
 * What to certify: a PKCS#10 (PEM text or DER bytes; its self-signature is the proof of possession),
 * or a bare SubjectPublicKeyInfo whose possession the caller verified (a CRMF POP in CMP).
 */
export type IssueRequest = IssueRequestBase & ({ csr: Uint8Array | string } | { publicKey: Uint8Array });

export interface IssueResult {
  /** Parsed on first use: the issuance path itself only needs the DER. */
  readonly certificate: x509.X509Certificate;
  record: IssuedCertificate;
  /** Issuing CA then root, DER. */
  chain: Uint8Array[];
}

const templates = new WeakMap<Authority, Map<string, EndEntityTemplate>>();

function templateFor(authority: Authority, profile: Profile): EndEntityTemplate {
  let byProfile = templates.get(authority);
  if (!byProfile) templates.set(authority, (byProfile = new Map()));
  let template = byProfile.get(profile.id);
  if (!template) byProfile.set(profile.id, (template = new EndEntityTemplate(profile, authority.config.baseUrl, authority.issuing)));
  return template;
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
  const checked = 'publicKey' in request ? checkPublicKey(request.publicKey, profile) : await checkCsr(request.csr, profile, attributes);

  const issuing = authority.issuing;
  const notBefore = new Date(Math.floor(now.getTime() / 1000) * 1000);
  const wanted = addYears(notBefore, profile.validity.years);
  // A certificate must not outlive its issuer (RFC 5280 §6.1.3 would reject it anyway).
  const notAfter = wanted > issuing.cert.notAfter ? issuing.cert.notAfter : wanted;
  const serial = randomSerial();
  const der = await templateFor(authority, profile).sign({
    serial,
    subject: attributes,
    spki: checked.spki,
    subjectKeyId: createHash('sha1').update(checked.subjectPublicKey).digest('hex'),
    email: holder.email,
    notBefore,
    notAfter,
  });
  const record: IssuedCertificate = {
    serial,
    issuer: 'issuing',
    holderId: holder.id,
    cardId: request.cardId ?? null,
    profileId: profile.id,
    kind: request.kind ?? 'original',
    subject: toName(attributes).toString(),
    notBefore: notBefore.toISOString(),
    notAfter: notAfter.toISOString(),
    spkiSha256: spkiFingerprint(checked.spki),
    holderDataVersion: holder.dataVersion,
    der,
    issuedAt: now.toISOString(),
    status: 'good',
    revokedAt: null,
    revocationReason: null,
    orderId: request.orderId ?? null,
  };
  await insertCertificate(db, record, request.actor, request.along);
  let parsed: x509.X509Certificate | null = null;
  return {
    get certificate() {
      return (parsed ??= new x509.X509Certificate(der));
    },
    record,
    chain: [issuing.der, authority.root.der],
  };
}
