/** An order placed (signed on the card) for a card the test CA issued, as the Submit step does it. */
import { dirname } from 'node:path';
import { createOrderOutbox } from '../../../src-main/orders/order-outbox.js';
import type { OrderStore } from '../../../src-main/orders/order-store.js';
import { createOrderFlow } from '../../../src-main/renewal/order-flow.js';
import { createRenewalClient } from '../../../src-main/service-client/renewal-client.js';
import type { TokenService } from '../../../src-main/token/token-service.js';
import type { Billing } from '../../../src-shared/contract/protocol/order.js';
import type { StoredOrder } from '../../../src-shared/contract/schemas/renewal-order.js';
import type { CertificateRef } from '../../../src-shared/contract/schemas/renewal.js';
import type { CaProcess, IssuedCard } from './ca-process.js';
import { cardCertificateSource } from './card-reader.js';

export const personBilling: Billing = { name: 'Ana Novak', street: 'Trubarjeva 5', postalCode: '1000', city: 'Ljubljana', country: 'SI', vatId: null };

/** The holder's (not a CA's) certificate on the token labelled `tokenLabel`. */
export async function holderCertificate(tokens: TokenService, tokenLabel: string): Promise<CertificateRef> {
  const list = await tokens.listCertificates({ tokenLabel });
  const entry = list.certificates.find((c) => c.readable && !c.isCertificateAuthority);
  if (!entry?.readable) throw new Error(`no holder certificate on ${tokenLabel}`);
  return { slotId: entry.slotId, objectId: entry.objectId, fingerprintSha256: entry.fingerprintSha256 };
}

export interface PlacedOrder {
  orderId: string;
  path: StoredOrder['path'];
  ref: CertificateRef;
}

/**
 * Prepares and places the order for the card's holder certificate (one login), marks it paid at the CA
 * unless `paid: false`, and logs out: what follows logs in again, as a new sitting would.
 */
export async function placeOrderFor(options: { ca: CaProcess; tokens: TokenService; store: OrderStore; card: IssuedCard; paid?: boolean }): Promise<PlacedOrder> {
  const { ca, tokens, store, card } = options;
  const ref = await holderCertificate(tokens, card.tokenLabel);
  const flow = createOrderFlow({
    certificateSource: cardCertificateSource(() => new Map([[ref.slotId, card.tokenLabel]])),
    card: tokens,
    client: () => createRenewalClient({ baseUrl: ca.url }),
    serviceUrl: () => ca.url,
    store,
    outbox: createOrderOutbox(dirname(store.dir)),
    tokenStorage: 'file',
  });
  const prep = await flow.prepareOrder(ref);
  const order = await flow.placeOrder({
    certificate: ref,
    document: { type: 'obnova.renewal-order', version: 1, market: prep.market, nonce: prep.nonce, certificateSerial: prep.certificateSerial, billing: personBilling, email: 'ana@example.si', locale: 'sl' },
    pin: card.pin,
  });
  if (options.paid !== false) await ca.markPaid(order.orderId);
  await tokens.logout(ref.slotId);
  return { orderId: order.orderId, path: order.path, ref };
}
