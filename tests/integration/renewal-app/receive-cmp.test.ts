/**
 * Receive by CMP against Obnova's CA (child process, `obnova-ca serve`): the deployment names the
 * CMP endpoint, so after a paid order the new key is made on the card, the kur's protection and
 * POP are signed on the card, the kup is journalled, the certificate written and verified, and
 * certConf sent; a stop after the kup resumes without a second key or a second certificate.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createReceiveFlow, type ReceiveDeps } from '../../../src-main/renewal/receive/receive-flow.js';
import { createCmpClient } from '../../../src-main/service-client/cmp-client.js';
import { createRenewalClient } from '../../../src-main/service-client/renewal-client.js';
import type { ReceiveProgress } from '../../../src-shared/contract/schemas/renewal-receive.js';
import { useRenewalApp } from './app-fixture.js';
import type { IssuedCard } from './ca-process.js';
import { cardCertificateSource, objectIds, readCardCertificates } from './card-reader.js';
import { placeOrderFor } from './order-fixture.js';

const app = useRenewalApp('obnova-app-receive-cmp-', { holders: [['H1', 'Ana', 'Novak', '0101990500123'], ['H2', 'Marko', 'Kranjc', '0202985500456']] });
const fast = { maxAttempts: 2, baseDelayMs: 50, maxDelayMs: 200, timeoutMs: 10_000 };
const slots = new Map<string, string>();
const progress: ReceiveProgress[] = [];

function receiver(overrides: Partial<ReceiveDeps> = {}) {
  return createReceiveFlow({
    certificateSource: cardCertificateSource(() => slots),
    client: () => createRenewalClient({ baseUrl: app.ca.url, policy: fast }),
    cmp: () => createCmpClient({ url: `${app.ca.url}/.well-known/cmp`, policy: fast }),
    store: app.store,
    card: app.tokens,
    appDataDir: app.appData,
    listCertificates: () => app.tokens.listCertificates({}),
    onProgress: (p) => progress.push(p),
    ...overrides,
  });
}

async function orderFor(card: IssuedCard): Promise<string> {
  const { orderId, ref } = await placeOrderFor({ ...app, card });
  slots.set(ref.slotId, card.tokenLabel);
  return orderId;
}

function journalOf(orderId: string): { protocol?: string; cmp?: { transactionId: string } | null } {
  return JSON.parse(readFileSync(join(app.appData, 'journal', `receive-${orderId}.json`), 'utf8'));
}

describe('Receive by CMP key update', () => {
  it('renews on the card through kur and certConf: one new key, the certificate next to it, the order completed', async () => {
    const card = await app.ca.issueCard('H1', 'ana-cmp');
    const keysBefore = objectIds(card, 'privkey');
    const orderId = await orderFor(card);
    progress.length = 0;
    const result = await receiver().receive(orderId, card.pin);
    expect(result).toMatchObject({ orderId, status: 'completed' });
    expect(progress.filter((p) => p.state === 'done').map((p) => p.step)).toEqual(['login', 'keygen', 'csr', 'pickup', 'write', 'verify', 'installed']);
    expect(objectIds(card, 'privkey')).toHaveLength(keysBefore.length + 1);
    expect(readCardCertificates(card.tokenLabel).some((c) => c.objectId === result.keyId)).toBe(true);
    const journal = journalOf(orderId);
    expect(journal.protocol).toBe('cmp');
    expect(journal.cmp?.transactionId).toMatch(/^[0-9a-f]{32}$/);
    expect(app.store.get(orderId)).toMatchObject({ status: 'completed', newCertificateSerial: result.serial });
    await app.tokens.logout(result.slotId);
  }, 120_000);

  it('a stop after the kup was journalled resumes at write with the same key and certificate, and confirms', async () => {
    const card = await app.ca.issueCard('H2', 'marko-cmp');
    const keysBefore = objectIds(card, 'privkey');
    const orderId = await orderFor(card);
    // The card write fails once (as if the card were pulled right after the answer arrived).
    let failWrite = true;
    const stopping = receiver({
      card: {
        ...app.tokens,
        login: (...a) => app.tokens.login(...a),
        findKeyPair: (...a) => app.tokens.findKeyPair(...a),
        generateKeyPair: (...a) => app.tokens.generateKeyPair(...a),
        signer: (...a) => app.tokens.signer(...a),
        writeCertificate: async (...a) => {
          if (failWrite) {
            failWrite = false;
            throw Object.assign(new Error('card pulled'), { code: 'TOKEN_REMOVED' });
          }
          return app.tokens.writeCertificate(...a);
        },
      },
    });
    await expect(stopping.receive(orderId, card.pin)).rejects.toThrow(/card pulled/);
    const first = journalOf(orderId);
    expect(first.cmp?.transactionId).toBeTruthy();
    progress.length = 0;
    const result = await receiver().receive(orderId, card.pin);
    expect(result).toMatchObject({ status: 'completed', resumes: 1, resumedFrom: 'write' });
    expect(progress.filter((p) => p.state === 'started').map((p) => p.step)).toEqual(['login', 'write', 'verify', 'installed']);
    expect(objectIds(card, 'privkey')).toHaveLength(keysBefore.length + 1);
    expect(journalOf(orderId).cmp?.transactionId).toBe(first.cmp?.transactionId);
    await app.tokens.logout(result.slotId);
  }, 120_000);
});
