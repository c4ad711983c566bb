/**
 * `POST /v1/orders/{id}/certificate`: the holder, signing with the current certificate, hands in a
 * PKCS#10 made by a new key on the same card. Exactly one certificate per order: the first request
 * claims the order for its key in the database (a conditional UPDATE every instance respects);
 * the certificate is stored together with the order's move to issued (one transaction, and the
 * certificate row's order id is unique); the same key again gets the same certificate; another
 * key is refused.
 */
import 'reflect-metadata';
import * as x509 from '@peculiar/x509';
import { ObnovaError } from '../../src-shared/contract/errors.js';
import { pickupDocumentSchema, type PickupResponse } from '../../src-shared/contract/protocol/order.js';
import { bytesEqual, toBase64 } from '../../src-shared/pki/encoding.js';
import { fromBase64 } from '../../src-shared/pki/encoding.js';
import { spkiFingerprint } from '../ca/key-identifiers.js';
import { findCertificate, type IssuedCertificate } from '../db/certificates-repository.js';
import { caDb, renewalDb } from './db/renewal-schema.js';
import { queueNotification } from './notifications.js';
import { getOrder, transitionWithin, type Order } from './orders/order-repository.js';
import type { RenewalContext } from './renewal-context.js';
import { readSignedRequest } from './signed-request.js';

/** A claim older than this without a certificate is taken over (its process died before COMMIT, so nothing was stored). */
const staleClaimMs = 60_000;
/** How long a request waits for a concurrent pickup of the same key before answering 503. */
const waitForPeerMs = 10_000;

async function answer(ctx: RenewalContext, order: Order): Promise<PickupResponse> {
  const cert = order.newCertificateSerial ? await findCertificate(caDb(ctx.db), order.newCertificateSerial) : null;
  if (!cert) throw new ObnovaError('INTERNAL', `order ${order.id} has no stored certificate`);
  const chain = [ctx.ca.authority.issuing.der, ctx.ca.authority.root.der];
  return { orderId: order.id, status: order.status, certificate: toBase64(cert.der), chain: chain.map(toBase64), serial: cert.serial };
}

function spkiOfCsr(csrDer: Uint8Array): Uint8Array {
  try {
    return new Uint8Array(new x509.Pkcs10CertificateRequest(csrDer).publicKey.rawData);
  } catch (cause) {
    throw new ObnovaError('CA_CSR_INVALID', 'value is not a PKCS#10 certification request', undefined, { cause });
  }
}

/** Issues (once) and returns the certificate for the order. */
export async function pickUp(ctx: RenewalContext, orderId: string, der: Uint8Array): Promise<PickupResponse> {
  const { document, cms } = await readSignedRequest(der, pickupDocumentSchema);
  if (document.orderId !== orderId) throw new ObnovaError('RENEWAL_DOCUMENT_INVALID', 'the signed pickup names another order');
  // An unknown order id answers exactly like someone else's order, so order ids cannot be probed.
  const order = await getOrder(ctx.db, orderId).catch((error: unknown) => {
    if (error instanceof ObnovaError && error.code === 'ORDER_NOT_FOUND') return null;
    throw error;
  });
  const current = order ? await findCertificate(caDb(ctx.db), order.certificateSerial) : null;
  if (!order || !current || cms.signer.serialNumber !== current.serial || !bytesEqual(cms.signer.der, current.der)) {
    throw new ObnovaError('RENEWAL_SIGNER_MISMATCH', 'the pickup must be signed by the certificate that placed the order');
  }
  const csrDer = fromBase64(document.csr);
  return deliverOrder(ctx, order, current, { spki: spkiOfCsr(csrDer), csr: csrDer });
}

/** The new key of a pickup: its SubjectPublicKeyInfo, and the PKCS#10 or the bare key (POP verified by the caller) to certify. */
export type PickupKey = { spki: Uint8Array } & ({ csr: Uint8Array } | { publicKey: Uint8Array });

function material(key: PickupKey): { csr: Uint8Array } | { publicKey: Uint8Array } {
  return 'csr' in key ? { csr: key.csr } : { publicKey: key.publicKey };
}

/**
 * The order's certificate for `key`, issued exactly once: protocol v1's pickup and CMP's key
 * update (when the policy wants a paid order) both end here. `current` is the certificate that
 * placed the order, already matched to the request's signer.
 */
export async function deliverOrder(ctx: RenewalContext, placed: Order, current: IssuedCertificate, key: PickupKey): Promise<PickupResponse> {
  let order = placed;
  const orderId = order.id;
  if (current.status === 'revoked') throw new ObnovaError('RENEWAL_CERT_REVOKED', `certificate ${current.serial} was revoked after ordering`);
  if (order.path !== 'existing-media') throw new ObnovaError('ORDER_PATH_MISMATCH', `order ${orderId} is on path ${order.path}`);
  if (order.status === 'awaiting-payment') throw new ObnovaError('ORDER_NOT_PAID', `order ${orderId} is not paid yet`);

  const spkiHash = spkiFingerprint(key.spki);
  if (spkiHash === current.spkiSha256) throw new ObnovaError('RENEWAL_CSR_SAME_KEY', 'the request reuses the key of the current certificate');

  if (order.status === 'issued' || order.status === 'completed') {
    if (order.pickupSpkiSha256 === spkiHash) return answer(ctx, order);
    throw new ObnovaError('ORDER_ALREADY_ISSUED', `order ${orderId} was issued for another key`);
  }
  if (order.status !== 'ready-for-pickup') throw new ObnovaError('ORDER_TRANSITION_INVALID', `order ${orderId} is ${order.status}`, { status: order.status });

  const deadline = Date.now() + waitForPeerMs;
  for (;;) {
    const now = ctx.now();
    const claim = await ctx.db
      .updateTable('renewal_orders')
      .set({ pickup_spki_sha256: spkiHash, pickup_claimed_at: now.toISOString() })
      .where('id', '=', orderId)
      .where('status', '=', 'ready-for-pickup')
      .where((eb) =>
        eb.or([eb('pickup_spki_sha256', 'is', null), eb.and([eb('new_certificate_serial', 'is', null), eb('pickup_claimed_at', '<', new Date(now.getTime() - staleClaimMs).toISOString())])]),
      )
      .executeTakeFirst();
    if (Number(claim.numUpdatedRows) === 1) break;
    order = await getOrder(ctx.db, orderId);
    if (order.pickupSpkiSha256 !== spkiHash && order.pickupSpkiSha256 !== null) {
      throw new ObnovaError('ORDER_ALREADY_ISSUED', `order ${orderId} is being issued for another key`);
    }
    if (order.status === 'issued' || order.status === 'completed') return answer(ctx, order);
    if (Date.now() > deadline) throw new ObnovaError('RENEWAL_OVERLOADED', `pickup of ${orderId} is in progress elsewhere`, { retryAfter: 2 });
    await new Promise((r) => setTimeout(r, 100));
  }

  // We hold the claim. Sign, then store the certificate (it names the order; one per order) and move
  // the order to issued in one transaction, conditional on our claim: a crash, a rejection or a claim
  // taken over before COMMIT leaves no certificate in the register, so none is ever valid without its order.
  const actor = `holder:${current.serial}`;
  try {
    await ctx.ca.issue({
      ...material(key),
      holderId: order.holderId,
      cardId: order.cardId,
      kind: 'renewal',
      actor: `renewal:${orderId}`,
      orderId,
      along: async (trx, cert) => {
        const db = renewalDb(trx);
        const extra = { new_certificate_serial: cert.serial };
        const issued = await transitionWithin(db, orderId, 'issued', actor, { from: ['ready-for-pickup'], claimedBy: spkiHash, extra, now: ctx.now() });
        await queueNotification(db, issued, 'certificate-issued', ctx.now());
      },
    });
    return answer(ctx, await getOrder(ctx.db, orderId));
  } catch (error) {
    // Another instance that took over our claim may have committed first: answer as it would.
    const latest = await getOrder(ctx.db, orderId).catch(() => null);
    if (latest && (latest.status === 'issued' || latest.status === 'completed')) {
      if (latest.pickupSpkiSha256 === spkiHash) return answer(ctx, latest);
      throw new ObnovaError('ORDER_ALREADY_ISSUED', `order ${orderId} was issued for another key`);
    }
    // Release the claim so the holder can retry (a refused CSR stores nothing).
    await ctx.db
      .updateTable('renewal_orders')
      .set({ pickup_spki_sha256: null, pickup_claimed_at: null })
      .where('id', '=', orderId)
      .where('new_certificate_serial', 'is', null)
      .where('pickup_spki_sha256', '=', spkiHash)
      .execute()
      .catch(() => undefined);
    throw error;
  }
}
