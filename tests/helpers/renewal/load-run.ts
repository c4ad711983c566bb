/**
 * Simulated holders for load and scale-out runs: each has a software-key certificate issued by the
 * CA (the HSM signs), orders with a signed CMS, is marked paid, and picks up with a new key —
 * retrying on 429/503 after Retry-After as the app does. Requests go through app.inject().
 */
import { type webcrypto } from 'node:crypto';
import type { FastifyInstance, InjectOptions } from 'fastify';
import { issueCertificate } from '../../../src-service/ca/issuance.js';
import { createHolder, registerCard } from '../../../src-service/db/holders-repository.js';
import { markPaid } from '../../../src-service/renewal/admin-actions.js';
import type { RenewalContext } from '../../../src-service/renewal/renewal-context.js';
import { Certificate } from '../../../src-shared/pki/certificate.js';
import { signCms } from '../../../src-shared/pki/cms-sign.js';
import { softwareSigner, type Signer } from '../../../src-shared/pki/signer.js';
import { makeCsr } from '../service/csr.js';
import { orderDocument, pickupDocument } from './protocol-client.js';

export interface SimHolder {
  holderId: string;
  certificate: Certificate;
  signer: Signer;
  subject: string;
}

/**
 * Registers `count` holders, each with a registered card and a certificate on it; the key is a
 * software key (the load is on the service, not on SoftHSM), so every order takes the existing-media path.
 */
export async function makeHolders(ctx: RenewalContext, count: number, prefix: string): Promise<SimHolder[]> {
  const out: SimHolder[] = [];
  for (let i = 0; i < count; i++) {
    const holder = await createHolder(
      ctx.ca.db,
      { kind: 'natural', country: 'SI', givenName: 'Load', surname: `Holder${prefix}${i}`, personalNumber: `${prefix}${String(i).padStart(8, '0')}`.slice(-13).padStart(13, '1') },
      'load',
    );
    const csr = await makeCsr('EC-P256');
    const card = await registerCard(ctx.ca.db, holder.id, `LOAD${prefix}${String(i).padStart(6, '0')}`, `load-${i}`, 'load');
    const { certificate } = await issueCertificate(ctx.ca.authority, ctx.ca.db, { csr: csr.pem, holderId: holder.id, cardId: card.id, actor: 'load' });
    const cert = await Certificate.fromDer(new Uint8Array(certificate.rawData));
    out.push({ holderId: holder.id, certificate: cert, signer: softwareSigner(csr.keys.privateKey as webcrypto.CryptoKey, { certificate: cert }), subject: certificate.subject });
  }
  return out;
}

export interface LoadResult {
  latenciesMs: number[];
  retries: number;
  orders: Map<string, string>;
  certificates: Map<string, string>;
  elapsedMs: number;
}

/** p-th percentile (nearest rank). */
export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? 0;
}

/** Runs every holder's order → paid → pickup with `concurrency` holders at a time, spread over `apps` round-robin. */
export async function runLoad(apps: FastifyInstance[], ctx: RenewalContext, holders: SimHolder[], concurrency: number, deadlineMs = 120_000): Promise<LoadResult> {
  const result: LoadResult = { latenciesMs: [], retries: 0, orders: new Map(), certificates: new Map(), elapsedMs: 0 };
  const started = Date.now();
  let next = 0;
  let call = 0;
  const request = async (opts: InjectOptions) => {
    for (;;) {
      if (Date.now() - started > deadlineMs) throw new Error('load run exceeded its deadline');
      const app = apps[call++ % apps.length]!;
      const t0 = performance.now();
      const r = await app.inject(opts);
      result.latenciesMs.push(performance.now() - t0);
      if (r.statusCode !== 429 && r.statusCode !== 503) return r;
      result.retries++;
      await new Promise((resolve) => setTimeout(resolve, Math.min(1000, Number(r.headers['retry-after'] ?? 1) * 100)));
    }
  };
  const cms = (url: string, body: Uint8Array) => request({ method: 'POST', url, payload: Buffer.from(body), headers: { 'content-type': 'application/pkcs7-mime' } });
  const one = async (h: SimHolder) => {
    const ch = await request({ method: 'POST', url: '/v1/challenges' });
    const nonce = (ch.json() as { nonce: string }).nonce;
    const placed = await cms('/v1/orders', await signCms(orderDocument(nonce, h.certificate.serialNumber), h.signer));
    if (placed.statusCode !== 201) throw new Error(`order for ${h.holderId}: ${placed.statusCode} ${placed.body}`);
    const orderId = (placed.json() as { orderId: string }).orderId;
    result.orders.set(h.holderId, orderId);
    await markPaid(ctx, orderId, 'load');
    const csr = await makeCsr('EC-P256');
    const picked = await cms(`/v1/orders/${orderId}/certificate`, await signCms(pickupDocument(orderId, csr.der), h.signer));
    if (picked.statusCode !== 200) throw new Error(`pickup for ${orderId}: ${picked.statusCode} ${picked.body}`);
    result.certificates.set(orderId, (picked.json() as { serial: string }).serial);
  };
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < holders.length) await one(holders[next++]!);
    }),
  );
  result.elapsedMs = Date.now() - started;
  return result;
}
