/** Builds the protocol's signed documents and calls the API through app.inject() like the app would. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { loadPolicy } from '../../../src-service/renewal/policy/load-policy.js';
import type { OrderCreated, OrderDocumentInput, PickupDocument } from '../../../src-shared/contract/protocol/order.js';
import { signCms } from '../../../src-shared/pki/cms-sign.js';
import { toBase64 } from '../../../src-shared/pki/encoding.js';
import type { Signer } from '../../../src-shared/pki/signer.js';

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

/** Places an order at a served instance over HTTP, as the app does: a fresh nonce, then the order signed by the holder. */
export async function placeOrderOverHttp(baseUrl: string, holder: { certificate: { serialNumber: string }; signer: Signer }): Promise<Response> {
  const nonce = ((await (await fetch(`${baseUrl}/v1/challenges`, { method: 'POST' })).json()) as { nonce: string }).nonce;
  return fetch(`${baseUrl}/v1/orders`, {
    method: 'POST',
    body: Buffer.from(await signCms(orderDocument(nonce, holder.certificate.serialNumber), holder.signer)),
    headers: { 'content-type': 'application/pkcs7-mime' },
  });
}

/** A CA directory served with the renewal window widened to cover certificates issued a moment ago (`renewal` adds to obnova-renewal.json). */
export function widenRenewalWindow(caDir: string, renewal: Record<string, unknown>): void {
  mkdirSync(join(caDir, 'policy'));
  writeFileSync(join(caDir, 'policy', 'si.json'), JSON.stringify({ ...loadPolicy('si'), renewalWindowDays: 3650 }));
  writeFileSync(join(caDir, 'obnova-renewal.json'), JSON.stringify({ policyDir: 'policy', ...renewal }));
}
