/**
 * `POST /v1/orders`: a holder's order signed with the current certificate. Everything is checked
 * before anything is written; then the nonce is spent and the order, its invoice, timeline,
 * audit entry and notification are stored in one transaction.
 */
import { createHash, randomBytes, randomInt } from 'node:crypto';
import type { Kysely } from 'kysely';
import { ObnovaError } from '../../src-shared/contract/errors.js';
import { orderDocumentSchema, type OrderCreated } from '../../src-shared/contract/protocol/order.js';
import { appendAudit } from '../db/audit-log.js';
import { consumeChallenge } from './challenges.js';
import { caDb, type RenewalDatabase } from './db/renewal-schema.js';
import { assessCertificate, RefusedError } from './eligibility.js';
import { invoiceView } from './invoice-view.js';
import { queueNotification } from './notifications.js';
import { findOpenOrder, getOrder, recordStatus } from './orders/order-repository.js';
import { referenceFor } from './invoice/payment-reference.js';
import { assertPayable } from './invoice/pro-forma.js';
import type { RenewalContext } from './renewal-context.js';
import { readSignedRequest } from './signed-request.js';

const dayMs = 86_400_000;

function sha256(data: Uint8Array | string): string {
  return createHash('sha256').update(data).digest('hex');
}

/** A fresh bearer token and the hash the database keeps. */
export function newAccessToken(): { token: string; hash: string } {
  const token = randomBytes(32).toString('base64url');
  return { token, hash: sha256(token) };
}

/** Ten random digits, first non-zero: the order number, the invoice number and the payment reference base. */
function orderNumber(): string {
  return `${randomInt(1, 10)}${String(randomInt(0, 1_000_000_000)).padStart(9, '0')}`;
}

/**
 * The order this nonce was spent on, when that order is this certificate's: the holder's signed order sent
 * again (its first answer was lost on the way). Answered with that order, not RENEWAL_CHALLENGE_USED, so the
 * app re-sends what the holder signed and never asks for a second signature. Nothing new is made.
 */
async function orderOfNonce(trx: Kysely<RenewalDatabase>, nonce: string, certificateSerial: string): Promise<{ id: string } | undefined> {
  const spent = await trx.selectFrom('renewal_challenges').select('used_by').where('nonce', '=', nonce).where('used_at', 'is not', null).executeTakeFirst();
  if (!spent?.used_by) return undefined;
  return trx.selectFrom('renewal_orders').select('id').where('id', '=', spent.used_by).where('certificate_serial', '=', certificateSerial).executeTakeFirst();
}

/** Verifies, checks eligibility and stores the order; a repeated valid order for an open one returns it (with a new token). */
export async function placeOrder(ctx: RenewalContext, der: Uint8Array): Promise<{ created: boolean; value: OrderCreated }> {
  const now = ctx.now();
  const { document, cms } = await readSignedRequest(der, orderDocumentSchema);
  if (document.market !== ctx.policy.market) {
    throw new ObnovaError('RENEWAL_DOCUMENT_INVALID', `order is for market ${document.market}, this service is ${ctx.policy.market}`);
  }
  if (document.certificateSerial.replace(/^0+/, '') !== cms.signer.serialNumber.replace(/^0+/, '')) {
    throw new ObnovaError('RENEWAL_SIGNER_MISMATCH', 'the order names a different certificate than the one that signed it');
  }
  const assessment = await assessCertificate(ctx.db, ctx.issuing, ctx.policy, cms.signer, now);
  const verdict = assessment.response;
  if (!verdict.eligible || !assessment.record || (verdict.path !== 'existing-media' && verdict.path !== 'new-media')) {
    throw new RefusedError(verdict.reasons);
  }
  const path = verdict.path;
  const record = assessment.record;
  const price = ctx.policy.prices[path];
  assertPayable(ctx.policy, document.billing, price, now);
  const documentSha256 = sha256(cms.content);
  const token = newAccessToken();

  for (let attempt = 0; ; attempt++) {
    const number = orderNumber();
    const id = `R${number}`;
    try {
      const outcome = await ctx.db.transaction().execute(async (trx) => {
        let open: { id: string } | undefined = (await findOpenOrder(trx, record.serial)) ?? undefined;
        try {
          // Spent on the order it answers with, so a copy of this signed order sent again finds that order.
          await consumeChallenge(trx, document.nonce, open?.id ?? id, now);
        } catch (error) {
          // Only a spent nonce costs the look-up of its order (orderOfNonce): the common order pays nothing for re-sends.
          const resent = error instanceof ObnovaError && error.code === 'RENEWAL_CHALLENGE_USED' ? await orderOfNonce(trx, document.nonce, record.serial) : undefined;
          if (!resent) throw error;
          open = resent;
        }
        if (open) {
          // Retry-safe: the same holder ordering again gets the open order, not a second one.
          await trx.updateTable('renewal_orders').set({ access_token_sha256: token.hash, updated_at: now.toISOString() }).where('id', '=', open.id).execute();
          await appendAudit(caDb(trx), { actor: `holder:${record.serial}`, action: 'order.token-rotate', subject: open.id }, now);
          return { created: false, id: open.id };
        }
        await trx
          .insertInto('renewal_orders')
          .values({
            id,
            market: ctx.policy.market,
            certificate_serial: record.serial,
            open_key: record.serial,
            holder_id: record.holderId,
            card_id: record.cardId,
            path,
            status: 'awaiting-payment',
            email: document.email,
            locale: document.locale,
            billing: JSON.stringify(document.billing),
            document_sha256: documentSha256,
            signed_order: Buffer.from(der),
            access_token_sha256: token.hash,
            invoice_number: `${now.getUTCFullYear()}-${number}`,
            reference: referenceFor(ctx.policy, number),
            currency: ctx.policy.currency,
            vat_basis_points: ctx.policy.vatBasisPoints,
            net: price.net,
            vat: price.vat,
            gross: price.gross,
            issued_at: now.toISOString(),
            due_at: new Date(now.getTime() + ctx.policy.invoiceDueDays * dayMs).toISOString(),
            created_at: now.toISOString(),
            updated_at: now.toISOString(),
            pickup_spki_sha256: null,
            pickup_claimed_at: null,
            new_certificate_serial: null,
          })
          .execute();
        await appendAudit(caDb(trx), { actor: `holder:${record.serial}`, action: 'order.create', subject: id, details: { path, certificate: record.serial, document: documentSha256 } }, now);
        await recordStatus(trx, id, 'awaiting-payment', `holder:${record.serial}`, now);
        await queueNotification(trx, await getOrder(trx, id), 'order-placed', now);
        return { created: true, id };
      });
      const order = await getOrder(ctx.db, outcome.id);
      return {
        created: outcome.created,
        value: { orderId: order.id, accessToken: token.token, status: order.status, path: order.path, invoice: invoiceView(ctx.policy, order) },
      };
    } catch (error) {
      if (error instanceof ObnovaError) throw error;
      // A unique violation: the random number collided, or another request opened an order for this certificate first.
      if (attempt >= 2 || !/unique|duplicate/i.test(String((error as Error).message))) throw error;
      if (await findOpenOrder(ctx.db, record.serial)) throw new ObnovaError('RENEWAL_ORDER_EXISTS', `an order for ${record.serial} is already open`);
    }
  }
}
