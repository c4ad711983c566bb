/**
 * Submit: a fresh nonce and the facts to confirm (prepareOrder), then the typed order document checked
 * against the contract and what was prepared, signed on the card as CMS after one login, posted, kept.
 */
import { createHash } from 'node:crypto';
import { ObnovaError } from '../../src-shared/contract/errors.js';
import type { OrderDocument } from '../../src-shared/contract/protocol/order.js';
import type { CertificateRef } from '../../src-shared/contract/schemas/renewal.js';
import type { OrderPreparation, PlaceOrderInput, StoredOrder } from '../../src-shared/contract/schemas/renewal-order.js';
import { signCms } from '../../src-shared/pki/cms-sign.js';
import type { CertificateSource } from '../export/certificate-source.js';
import { findOnCard } from '../export/export-handler.js';
import type { OrderOutbox, OutboxEntry } from '../orders/order-outbox.js';
import type { OrderStore } from '../orders/order-store.js';
import type { CallOptions } from '../service-client/http-call.js';
import type { RenewalClient } from '../service-client/renewal-client.js';
import type { CardOperations } from '../token/card-operations.js';
import { signerAlgorithmFor } from './signer-algorithm.js';

export interface OrderFlowDeps {
  certificateSource: CertificateSource;
  card: Pick<CardOperations, 'login' | 'signer'>;
  client(): RenewalClient | null;
  serviceUrl(): string | null;
  store: OrderStore;
  /** Signed orders not yet answered by the service (order-outbox.ts). */
  outbox: OrderOutbox;
  tokenStorage: 'keychain' | 'file';
  callOptions?: () => CallOptions;
  now?: () => Date;
}

/** A nonce handed out by prepareOrder, for the certificate it was asked for. */
interface Prepared {
  ref: CertificateRef;
  fingerprint: string;
  serial: string;
  market: OrderPreparation['market'];
  expiresAt: number;
}

/**
 * Whether the service answered (a refusal with a 4xx problem other than 408/429): then the signed order is
 * settled. Anything else — no connection, a timeout, Stop, 5xx, an answer that broke off — may have arrived.
 */
function answered(error: unknown): boolean {
  const status = error instanceof ObnovaError ? error.details?.status : undefined;
  return typeof status === 'number' && status >= 400 && status < 500 && status !== 408 && status !== 429;
}

function requireClient(deps: OrderFlowDeps) {
  const client = deps.client();
  if (!client) throw new ObnovaError('SERVICE_NOT_CONFIGURED', 'no renewal service URL is configured');
  return client;
}

export function createOrderFlow(deps: OrderFlowDeps) {
  const prepared = new Map<string, Prepared>();
  const now = () => deps.now?.() ?? new Date();

  async function prepareOrder(ref: CertificateRef): Promise<OrderPreparation> {
    const client = requireClient(deps);
    const { certificate } = await findOnCard(deps.certificateSource, ref.slotId, ref.objectId, ref.fingerprintSha256);
    const [policy, challenge, eligibility] = await Promise.all([
      client.policy(deps.callOptions?.()),
      client.challenge(deps.callOptions?.()),
      client.eligibility(certificate.der, deps.callOptions?.()),
    ]);
    for (const [nonce, p] of prepared) if (p.expiresAt < now().getTime()) prepared.delete(nonce);
    prepared.set(challenge.nonce, { ref, fingerprint: certificate.fingerprintSha256, serial: certificate.serialNumber, market: policy.market, expiresAt: Date.parse(challenge.expiresAt) });
    const h = certificate.holder;
    return {
      nonce: challenge.nonce,
      expiresAt: challenge.expiresAt,
      market: policy.market,
      certificateSerial: certificate.serialNumber,
      currency: policy.currency,
      price: eligibility.price,
      path: eligibility.path,
      holder: { commonName: h.commonName, givenName: h.givenName, surname: h.surname, serialNumber: h.serialNumber, organization: h.organization, email: h.email, country: h.country },
    };
  }

  /** Checks the renderer's document against what was prepared: same nonce, certificate and market. */
  function checkDocument(input: PlaceOrderInput, serial: string, fingerprint: string): Prepared {
    const p = prepared.get(input.document.nonce);
    if (!p) throw new ObnovaError('RENEWAL_CHALLENGE_UNKNOWN', 'the order document carries a nonce this app did not prepare', { field: 'document.nonce' });
    if (p.expiresAt < now().getTime()) throw new ObnovaError('RENEWAL_CHALLENGE_EXPIRED', 'the prepared nonce has expired; prepare the order again', { field: 'document.nonce' });
    if (input.document.certificateSerial !== serial || p.serial !== serial || p.fingerprint !== fingerprint) {
      throw new ObnovaError('INPUT_INVALID', 'the order document names another certificate than the one on the card', { field: 'document.certificateSerial' });
    }
    if (input.document.market !== p.market) throw new ObnovaError('INPUT_INVALID', 'the order document is for another market', { field: 'document.market' });
    return p;
  }

  async function placeOrder(input: PlaceOrderInput): Promise<StoredOrder> {
    requireClient(deps);
    const ref = input.certificate;
    const { certificate, others } = await findOnCard(deps.certificateSource, ref.slotId, ref.objectId, ref.fingerprintSha256);
    checkDocument(input, certificate.serialNumber, certificate.fingerprintSha256);
    // The bytes signed are re-serialised from the parsed document: exactly the contract's fields, nothing the renderer slipped in.
    const document: OrderDocument = input.document;
    await deps.card.login(ref.slotId, input.pin);
    const signer = deps.card.signer(ref.slotId, ref.objectId, signerAlgorithmFor(certificate), { certificate });
    const cms = await signCms(new TextEncoder().encode(JSON.stringify(document)), signer, { chain: others });
    // A nonce signs one order: it is spent with this signature, whatever the service answers.
    prepared.delete(input.document.nonce);
    // Kept before it is sent: an answer lost on the way leaves it here, to be sent again as it is.
    const entry: OutboxEntry = {
      id: createHash('sha256').update(cms).digest('hex'),
      signedAt: now().toISOString(),
      serviceUrl: deps.serviceUrl() ?? '',
      market: document.market,
      certificate: { slotId: ref.slotId, objectId: ref.objectId, fingerprintSha256: certificate.fingerprintSha256, serialNumber: certificate.serialNumber, tokenSerial: null, commonName: certificate.subjectCommonName },
      attempts: 0,
      lastTriedAt: null,
      lastError: null,
      cms: Buffer.from(cms).toString('base64'),
    };
    deps.outbox.put(entry);
    return send(entry);
  }

  /**
   * Sends an outbox entry (its signed bytes unchanged) and keeps the order the service answers with. A refusal
   * is an answer too: the entry goes and the error is the holder's. No answer keeps the entry for the next try.
   */
  async function send(entry: OutboxEntry): Promise<StoredOrder> {
    const client = requireClient(deps);
    let created;
    try {
      created = await client.placeOrder(new Uint8Array(Buffer.from(entry.cms, 'base64')), deps.callOptions?.());
    } catch (error) {
      if (answered(error)) deps.outbox.remove(entry.id);
      else deps.outbox.put({ ...entry, attempts: entry.attempts + 1, lastTriedAt: now().toISOString(), lastError: error instanceof ObnovaError ? error.code : 'INTERNAL' });
      throw error;
    }
    const at = now().toISOString();
    // The service answers an open order for this certificate (or this very signature again) with that order: keep what the app knew of it.
    const known = deps.store.get(created.orderId);
    const order: StoredOrder = {
      orderId: created.orderId,
      serviceUrl: entry.serviceUrl,
      market: entry.market,
      createdAt: known?.createdAt ?? at,
      updatedAt: at,
      status: created.status,
      path: created.path,
      certificate: entry.certificate,
      invoice: created.invoice,
      timeline: known?.timeline ?? [{ status: created.status, at }],
      newCertificateSerial: null,
      tokenStorage: deps.tokenStorage,
    };
    deps.store.saveAccessToken(created.orderId, created.accessToken);
    deps.store.save(order);
    deps.outbox.remove(entry.id);
    return order;
  }

  /** `orders.resend`: the outbox entry sent again. */
  async function resendOrder(id: string): Promise<StoredOrder> {
    const entry = deps.outbox.get(id);
    if (!entry) throw new ObnovaError('ORDER_NOT_FOUND', 'no order with this id is waiting to be sent', { id: id.slice(0, 16) });
    return send(entry);
  }

  /** Asks the service for the order's state and timeline and keeps them. */
  async function refreshOrder(orderId: string): Promise<StoredOrder> {
    const stored = deps.store.get(orderId);
    if (!stored) throw new ObnovaError('ORDER_NOT_FOUND', 'no such order in this app', { orderId });
    const view = await requireClient(deps).order(orderId, deps.store.accessToken(orderId), deps.callOptions?.());
    const next: StoredOrder = { ...stored, status: view.status, path: view.path, timeline: view.timeline, invoice: view.invoice, newCertificateSerial: view.certificateSerial, updatedAt: now().toISOString() };
    deps.store.save(next);
    return next;
  }

  async function invoice(orderId: string) {
    const stored = deps.store.get(orderId);
    if (!stored) throw new ObnovaError('ORDER_NOT_FOUND', 'no such order in this app', { orderId });
    const pdf = await requireClient(deps).invoicePdf(orderId, deps.store.accessToken(orderId), deps.callOptions?.());
    return { fileName: `${stored.invoice.number.replace(/[^A-Za-z0-9-]+/g, '-')}.pdf`, mimeType: 'application/pdf' as const, base64: Buffer.from(pdf).toString('base64'), size: pdf.byteLength };
  }

  return { prepareOrder, placeOrder, resendOrder, refreshOrder, invoice, listOrders: () => ({ orders: deps.store.list(), sending: deps.outbox.list().map(({ cms: _signed, ...view }) => view) }) };
}

export type OrderFlow = ReturnType<typeof createOrderFlow>;
