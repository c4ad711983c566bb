/** Builds the protocol's signed documents and calls the API through app.inject() like the app would. */
import type { FastifyInstance } from 'fastify';
import type { OrderCreated, OrderDocumentInput, PickupDocument } from '../../../src-shared/contract/protocol/order.js';
import { toBase64 } from '../../../src-shared/pki/encoding.js';

export const billing = { name: 'Ana Novak', street: 'Trubarjeva 5', postalCode: '1000', city: 'Ljubljana', country: 'SI', vatId: null };

/** UTF-8 JSON of an order document. */
export function orderDocument(nonce: string, certificateSerial: string, market: 'si' | 'rs' = 'si', extra: Partial<OrderDocumentInput> = {}): Uint8Array {
  const doc: OrderDocumentInput = { type: 'obnova.renewal-order', version: 1, market, nonce, certificateSerial, billing, email: 'ana.novak@example.si', locale: 'sl', ...extra };
  return new TextEncoder().encode(JSON.stringify(doc));
}

/** UTF-8 JSON of a pickup document. */
export function pickupDocument(orderId: string, csr: Uint8Array): Uint8Array {
  const doc: PickupDocument = { type: 'obnova.renewal-pickup', version: 1, orderId, csr: toBase64(csr) };
  return new TextEncoder().encode(JSON.stringify(doc));
}

export async function challenge(app: FastifyInstance): Promise<string> {
  const r = await app.inject({ method: 'POST', url: '/v1/challenges' });
  if (r.statusCode !== 201) throw new Error(`challenge: ${r.statusCode} ${r.body}`);
  return (r.json() as { nonce: string }).nonce;
}

export async function postCms(app: FastifyInstance, url: string, cms: Uint8Array, headers: Record<string, string> = {}) {
  return app.inject({ method: 'POST', url, payload: Buffer.from(cms), headers: { 'content-type': 'application/pkcs7-mime', ...headers } });
}

export type Created = OrderCreated;
