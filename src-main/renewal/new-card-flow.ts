/**
 * Receive when the card was already renewed once (path new-media): the CA makes and posts a new card;
 * the app shows where it is and, once a card holding the order's new certificate is inserted,
 * recognises it (by serial) and confirms `installed`, which completes the order.
 */
import { ObnovaError } from '../../src-shared/contract/errors.js';
import type { CertificateList } from '../../src-shared/contract/schemas/certificate.js';
import type { NewCardView } from '../../src-shared/contract/schemas/renewal-order.js';
import type { OrderStore } from '../orders/order-store.js';
import type { CallOptions } from '../service-client/http-call.js';
import type { RenewalClient } from '../service-client/renewal-client.js';

export interface NewCardDeps {
  client(): RenewalClient | null;
  store: OrderStore;
  listCertificates(): Promise<CertificateList>;
  callOptions?(): CallOptions;
  now?(): Date;
}

export function createNewCardFlow(deps: NewCardDeps) {
  const now = () => deps.now?.() ?? new Date();

  async function completeNewCard(orderId: string): Promise<NewCardView> {
    const client = deps.client();
    if (!client) throw new ObnovaError('SERVICE_NOT_CONFIGURED', 'no renewal service URL is configured');
    const stored = deps.store.get(orderId);
    if (!stored) throw new ObnovaError('ORDER_NOT_FOUND', 'no such order in this app', { orderId });
    if (stored.path !== 'new-media') throw new ObnovaError('ORDER_PATH_MISMATCH', 'this order renews the certificate on the same card', { orderId, path: stored.path });
    const token = deps.store.accessToken(orderId);
    const view = await client.order(orderId, token, deps.callOptions?.());
    let order = { ...stored, status: view.status, timeline: view.timeline, newCertificateSerial: view.certificateSerial, updatedAt: now().toISOString() };
    deps.store.save(order);
    const serial = view.certificateSerial;
    if (view.status === 'completed') return { orderId, status: view.status, serial, found: true, slotId: null };
    if (!serial || !['card-in-production', 'card-shipped', 'issued'].includes(view.status)) return { orderId, status: view.status, serial, found: false, slotId: null };

    // A card that is not inserted is simply not found yet; any other card trouble is reported.
    let list: CertificateList;
    try {
      list = await deps.listCertificates();
    } catch (error) {
      if (error instanceof ObnovaError && error.code === 'TOKEN_NOT_PRESENT') return { orderId, status: view.status, serial, found: false, slotId: null };
      throw error;
    }
    const onCard = list.certificates.find((c) => c.readable && !c.isCertificateAuthority && c.serialNumber === serial);
    if (!onCard) return { orderId, status: view.status, serial, found: false, slotId: null };
    // The service completes an order only from `issued` (delivery recorded); until then the card is recognised and shown.
    if (view.status !== 'issued') return { orderId, status: view.status, serial, found: true, slotId: onCard.slotId };
    const answer = await client.installed(orderId, token, serial, deps.callOptions?.());
    order = { ...order, status: answer.status, updatedAt: now().toISOString(), timeline: [...order.timeline, { status: answer.status, at: now().toISOString() }] };
    deps.store.save(order);
    return { orderId, status: answer.status, serial, found: true, slotId: onCard.slotId };
  }

  return { completeNewCard };
}
