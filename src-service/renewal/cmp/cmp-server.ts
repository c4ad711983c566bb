/**
 * One CMP request in, one protected CMP answer out (RFC 9483 §4.1.3 key update, §4.3.1 CA
 * certificates, §3.6 errors). Every failure — a message that does not parse, a bad signature, a
 * revoked certificate, our own fault — is answered as a PKIMessage error with PKIStatusInfo and
 * failInfo; nothing is thrown to HTTP.
 */
import { AsnConvert } from '@peculiar/asn1-schema';
import { Certificate as AsnCertificate } from '@peculiar/asn1-x509';
import {
  CertifiedKeyPair,
  CertOrEncCert,
  CertRepMessage,
  CertResponse,
  CertResponses,
  CmpCertificates,
  GenMsgContent,
  idItCaCerts,
  InfoTypeAndValue,
  PkiBody,
  PkiStatus,
  PkiStatusInfo,
} from '../../../src-shared/pki/cmp/cmp-asn1.js';
import { bodyType, certificateHash, certificateHashWith, octets, parseCmpMessage } from '../../../src-shared/pki/cmp/cmp-message.js';
import { bytesEqual, toHex } from '../../../src-shared/pki/encoding.js';
import { appendAudit } from '../../db/audit-log.js';
import { findCertificate } from '../../db/certificates-repository.js';
import { caDb } from '../db/renewal-schema.js';
import type { RenewalContext } from '../renewal-context.js';
import { answer, checkEnvelope, errorBody, wantsImplicitConfirm, type CheckedRequest, type CmpResponder, type Echo } from './cmp-envelope.js';
import { CmpFailure, toCmpFailure } from './cmp-failure.js';
import { checkCertRequest, keyUpdate, serialOf } from './cmp-key-update.js';

export interface CmpOutcome {
  der: Uint8Array;
  /** Body type answered (kup, pkiconf, genp, error) and, for errors, the code: for the request log. */
  type: string;
  code?: string;
  /** Our own fault, hidden from the answer: the route logs it for the operator. */
  internal?: unknown;
}

/** Handles one DER PKIMessage. */
export async function handleCmpRequest(ctx: RenewalContext, responder: CmpResponder, der: Uint8Array): Promise<CmpOutcome> {
  let echo: Echo = {};
  let transaction: string | null = null;
  try {
    const message = parseCmpMessage(der);
    const { header } = message;
    echo = { pvno: header.pvno, sender: header.sender, senderKID: header.senderKID, transactionID: header.transactionID, senderNonce: header.senderNonce };
    const request = await checkEnvelope(message, ctx.now());
    const type = bodyType(message.body);
    transaction = toHex(request.transactionId);
    if (type === 'kur') return await onKeyUpdate(ctx, responder, request, echo);
    if (type === 'certConf') return await onCertConf(ctx, responder, request, echo);
    if (type === 'genm') return await onGeneralMessage(ctx, responder, request, echo);
    transaction = null;
    throw new CmpFailure('badRequest', 'CMP_MESSAGE_INVALID', `${type} is not offered here (kur, certConf, genm)`);
  } catch (error) {
    const failure = toCmpFailure(error);
    if (transaction && failure.failInfo !== 'transactionIdInUse') await markFailed(ctx, transaction);
    const { der: out } = await answer(responder, echo, errorBody(failure), ctx.now());
    return { der: out, type: 'error', code: failure.code, internal: failure.code === 'INTERNAL' ? error : undefined };
  }
}

/** Claims the transactionID (RFC 9483 §3.5: a new transaction with an ID in use is refused). */
async function openTransaction(ctx: RenewalContext, id: string, oldSerial: string | null): Promise<void> {
  const at = ctx.now().toISOString();
  try {
    await ctx.db.insertInto('cmp_transactions').values({ transaction_id: id, old_serial: oldSerial, new_serial: null, server_nonce: null, status: 'waiting', created_at: at, updated_at: at }).execute();
  } catch {
    throw new CmpFailure('transactionIdInUse', 'CMP_MESSAGE_INVALID', 'this transactionID was used before');
  }
}

async function markFailed(ctx: RenewalContext, id: string): Promise<void> {
  await ctx.db.updateTable('cmp_transactions').set({ status: 'failed', updated_at: ctx.now().toISOString() }).where('transaction_id', '=', id).where('status', '=', 'waiting').where('new_serial', 'is', null).execute();
}

async function onKeyUpdate(ctx: RenewalContext, responder: CmpResponder, request: CheckedRequest, echo: Echo): Promise<CmpOutcome> {
  const id = toHex(request.transactionId);
  await openTransaction(ctx, id, serialOf(request.signerCert));
  const { spki, certReqId } = await checkCertRequest(request.message.body.kur ?? [], request.signerCert);
  const result = await keyUpdate(ctx, request.signerCert, spki);
  const implicit = wantsImplicitConfirm(request.message);
  const body = new PkiBody({
    kup: new CertRepMessage({
      response: new CertResponses([
        new CertResponse({
          certReqId,
          status: new PkiStatusInfo({ status: PkiStatus.accepted }),
          certifiedKeyPair: new CertifiedKeyPair({ certOrEncCert: new CertOrEncCert({ certificate: AsnConvert.parse(result.certificate, AsnCertificate) }) }),
        }),
      ]),
    }),
  });
  const out = await answer(responder, echo, body, ctx.now(), { implicitConfirm: implicit });
  await ctx.db
    .updateTable('cmp_transactions')
    .set({ new_serial: result.newSerial, server_nonce: toHex(out.senderNonce), status: implicit ? 'confirmed' : 'waiting', updated_at: ctx.now().toISOString() })
    .where('transaction_id', '=', id)
    .execute();
  await appendAudit(caDb(ctx.db), { actor: `cmp:${result.oldSerial}`, action: 'cmp.key-update', subject: result.newSerial, details: { transaction: id, implicitConfirm: implicit } }, ctx.now());
  return { der: out.der, type: 'kup' };
}

async function onCertConf(ctx: RenewalContext, responder: CmpResponder, request: CheckedRequest, echo: Echo): Promise<CmpOutcome> {
  const id = toHex(request.transactionId);
  const row = await ctx.db.selectFrom('cmp_transactions').selectAll().where('transaction_id', '=', id).executeTakeFirst();
  // A confirmed transaction answers the same certConf again: the client may have lost our pkiConf.
  if (!row || (row.status !== 'waiting' && row.status !== 'confirmed') || !row.new_serial) throw new CmpFailure('badRequest', 'CMP_MESSAGE_INVALID', 'no certificate of this transaction waits for confirmation');
  if (row.old_serial !== serialOf(request.signerCert)) throw new CmpFailure('badMessageCheck', 'CMP_PROTECTION_INVALID', 'certConf must be protected by the certificate that asked for the update');
  const recipNonce = octets(request.message.header.recipNonce);
  if (!recipNonce || toHex(recipNonce) !== row.server_nonce) throw new CmpFailure('badRecipientNonce', 'CMP_MESSAGE_INVALID', 'recipNonce is not the senderNonce of the kup');
  const issued = await findCertificate(caDb(ctx.db), row.new_serial);
  const statuses = request.message.body.certConf ?? [];
  if (!issued || statuses.length !== 1) throw new CmpFailure('badRequest', 'CMP_MESSAGE_INVALID', 'certConf must confirm exactly the one certificate');
  const status = statuses[0]!;
  const expected = status.hashAlg ? await certificateHashWith(issued.der, status.hashAlg.algorithm) : await certificateHash(issued.der);
  if (!bytesEqual(new Uint8Array(status.certHash.buffer), expected)) throw new CmpFailure('badCertId', 'CMP_MESSAGE_INVALID', 'certHash does not match the certificate sent');
  const accepted = !status.statusInfo || status.statusInfo.status === PkiStatus.accepted || status.statusInfo.status === PkiStatus.grantedWithMods;
  if (row.status === 'confirmed') {
    if (!accepted) throw new CmpFailure('badRequest', 'CMP_MESSAGE_INVALID', 'this certificate was confirmed before');
    return { der: (await answer(responder, echo, new PkiBody({ pkiconf: null }), ctx.now())).der, type: 'pkiconf' };
  }
  await ctx.db.updateTable('cmp_transactions').set({ status: accepted ? 'confirmed' : 'rejected', updated_at: ctx.now().toISOString() }).where('transaction_id', '=', id).execute();
  await appendAudit(caDb(ctx.db), { actor: `cmp:${row.old_serial}`, action: accepted ? 'cmp.confirmed' : 'cmp.rejected-by-holder', subject: row.new_serial, details: { transaction: id } }, ctx.now());
  const out = await answer(responder, echo, new PkiBody({ pkiconf: null }), ctx.now());
  return { der: out.der, type: 'pkiconf' };
}

/** genm: id-it-caCerts answers the issuing and root certificates (RFC 9483 §4.3.1); other types get an empty genp. */
async function onGeneralMessage(ctx: RenewalContext, responder: CmpResponder, request: CheckedRequest, echo: Echo): Promise<CmpOutcome> {
  await openTransaction(ctx, toHex(request.transactionId), null);
  const answers = (request.message.body.genm ?? []).map((item) =>
    item.infoType === idItCaCerts
      ? new InfoTypeAndValue({ infoType: idItCaCerts, infoValue: AsnConvert.serialize(new CmpCertificates(responder.chain.map((d) => AsnConvert.parse(d, AsnCertificate)))) })
      : new InfoTypeAndValue({ infoType: item.infoType }),
  );
  await ctx.db.updateTable('cmp_transactions').set({ status: 'confirmed', updated_at: ctx.now().toISOString() }).where('transaction_id', '=', toHex(request.transactionId)).execute();
  const out = await answer(responder, echo, new PkiBody({ genp: new GenMsgContent(answers) }), ctx.now());
  return { der: out.der, type: 'genp' };
}

