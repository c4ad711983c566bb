/**
 * Receive on the same SoftHSM card against the real service (child processes): the full first renewal,
 * checked from outside with pkcs11-tool (new key and certificate share a CKA_ID, old certificate kept)
 * and openssl verify; and a service outage during pickup that resumes without a second key.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pkcs11js from 'pkcs11js';
import { describe, expect, it } from 'vitest';
import { slotIdOf } from '../../../src-main/token/slot.js';
import { createReceiveFlow, type ReceiveDeps } from '../../../src-main/renewal/receive/receive-flow.js';
import { createRenewalClient } from '../../../src-main/service-client/renewal-client.js';
import type { ServiceWait } from '../../../src-main/service-client/service-wait.js';
import type { ReceiveProgress } from '../../../src-shared/contract/schemas/renewal-receive.js';
import type { CertificateRef } from '../../../src-shared/contract/schemas/renewal.js';
import { toPem } from '../../../src-shared/pki/pem.js';
import { startServiceProxy } from '../../helpers/service/service-proxy.js';
import { useRenewalApp } from './app-fixture.js';
import { softhsmModule, type IssuedCard } from './ca-process.js';
import { cardCertificateSource, objectIds, readCardCertificates } from './card-reader.js';
import { placeOrderFor } from './order-fixture.js';

const app = useRenewalApp('obnova-app-receive-', { holders: [['H1', 'Ana', 'Novak', '0101990500123'], ['H2', 'Marko', 'Kranjc', '0202985500456'], ['H3', 'Eva', 'Zupan', '0303970500789'], ['H4', 'Jana', 'Kos', '0404975500111']] });
const fast = { maxAttempts: 2, baseDelayMs: 50, maxDelayMs: 200, timeoutMs: 10_000 };

const slots = new Map<string, string>();
const progress: ReceiveProgress[] = [];

function deps() {
  return {
    certificateSource: cardCertificateSource(() => slots),
    client: () => createRenewalClient({ baseUrl: app.ca.url, policy: fast }),
    serviceUrl: () => app.ca.url,
    store: app.store,
  };
}

async function orderFor(card: IssuedCard): Promise<{ orderId: string; ref: CertificateRef }> {
  const { orderId, ref } = await placeOrderFor({ ...app, card });
  slots.set(ref.slotId, card.tokenLabel);
  return { orderId, ref };
}

/** The card pulled: C_CloseAllSessions on its slot through a second binding of the library (its sessions and login end). */
function pullCard(slotId: string): void {
  const lib = new pkcs11js.PKCS11();
  lib.load(softhsmModule);
  try {
    lib.C_Initialize({ flags: pkcs11js.CKF_OS_LOCKING_OK });
  } catch {
    // CKR_CRYPTOKI_ALREADY_INITIALIZED: this binding shares the app's initialised library.
  }
  const slot = lib.C_GetSlotList(true).find((h) => slotIdOf(h) === slotId);
  if (slot) lib.C_CloseAllSessions(slot);
}

/** The receive as the app wires it, progress collected; `overrides` put a test's service or fault in. */
function receiver(overrides: Partial<ReceiveDeps> = {}) {
  return createReceiveFlow({ ...deps(), card: app.tokens, appDataDir: app.appData, listCertificates: () => app.tokens.listCertificates({}), onProgress: (p) => progress.push(p), ...overrides });
}



/** The next run after a stop past keygen and csr: it starts at pickup with the key it has, and completes. */
async function expectResumedAtPickup(orderId: string, card: IssuedCard, keysBefore: number): Promise<void> {
  progress.length = 0;
  const result = await receiver().receive(orderId, card.pin);
  expect(result).toMatchObject({ status: 'completed', resumes: 1, resumedFrom: 'pickup' });
  expect(progress.filter((p) => p.state === 'started').map((p) => p.step)).toEqual(['login', 'pickup', 'write', 'verify', 'installed']);
  // keygen and csr, done in the stopped run, are reported done again (at their time) for a window that opens now.
  expect(progress.filter((p) => p.state === 'done').map((p) => p.step)).toEqual(['login', 'keygen', 'csr', 'pickup', 'write', 'verify', 'installed']);
  expect(objectIds(card, 'privkey')).toHaveLength(keysBefore + 1);
  await app.tokens.logout(result.slotId);
}

describe('Receive on the same card', () => {
  it('new key and certificate on the card under one CKA_ID, old certificate kept, chain verifies with openssl, order completed', async () => {
    const card = await app.ca.issueCard('H1', 'ana-receive');
    const keysBefore = objectIds(card, 'privkey');
    const { orderId, ref } = await orderFor(card);
    progress.length = 0;
    const result = await receiver().receive(orderId, card.pin);
    expect(result).toMatchObject({ orderId, status: 'completed', resumes: 0, resumedFrom: null });
    expect(progress.filter((p) => p.state === 'done').map((p) => p.step)).toEqual(['login', 'keygen', 'csr', 'pickup', 'write', 'verify', 'installed']);

    const keysAfter = objectIds(card, 'privkey');
    expect(keysAfter).toEqual(expect.arrayContaining([...keysBefore, result.keyId]));
    expect(keysAfter).toHaveLength(keysBefore.length + 1);
    expect(objectIds(card, 'cert')).toEqual(expect.arrayContaining([ref.objectId, result.keyId]));

    const certs = readCardCertificates(card.tokenLabel);
    const fresh = certs.find((c) => c.objectId === result.keyId)!;
    const dir = mkdtempSync(join(tmpdir(), 'obnova-verify-'));
    writeFileSync(join(dir, 'new.pem'), toPem(fresh.der, 'CERTIFICATE'));
    writeFileSync(join(dir, 'ca.pem'), [toPem(app.ca.root.der, 'CERTIFICATE'), toPem(app.ca.issuing.der, 'CERTIFICATE')].join(''));
    const verify = spawnSync('openssl', ['verify', '-CAfile', join(dir, 'ca.pem'), join(dir, 'new.pem')], { encoding: 'utf8' });
    expect(verify.stdout.trim(), verify.stderr).toBe(`${join(dir, 'new.pem')}: OK`);
    const serial = spawnSync('openssl', ['x509', '-in', join(dir, 'new.pem'), '-noout', '-serial'], { encoding: 'utf8' }).stdout.trim().toLowerCase();
    expect(serial.replace(/^serial=0*/, '')).toBe(result.serial.replace(/^0*/, ''));
    rmSync(dir, { recursive: true, force: true });

    expect(app.store.get(orderId)).toMatchObject({ status: 'completed', newCertificateSerial: result.serial });
    const journal = JSON.parse(readFileSync(join(app.appData, 'journal', `receive-${orderId}.json`), 'utf8')) as { steps: Record<string, { doneAt: string | null }> };
    expect(Object.values(journal.steps).every((s) => s.doneAt)).toBe(true);
    // A second receive finds everything done and changes nothing on the card.
    const again = await receiver().receive(orderId, card.pin);
    expect(again.keyId).toBe(result.keyId);
    expect(objectIds(card, 'privkey')).toHaveLength(keysAfter.length);
    // End the sitting so the token service rescans and sees the next test's new card.
    await app.tokens.logout(result.slotId);
  }, 120_000);

  it('service down during pickup: the wait is reported (what for, how long), and the same receive then succeeds', async () => {
    const card = await app.ca.issueCard('H2', 'marko-receive');
    const { orderId } = await orderFor(card);
    const keysBefore = objectIds(card, 'privkey').length;
    // The service behind a switch: "down" drops every connection, like a stopped server.
    let down = false;
    const proxy = await startServiceProxy(app.ca.url, (req) => {
      if (down) req.socket.destroy();
      return down;
    });
    const waits: ServiceWait[] = [];
    progress.length = 0;
    try {
      const flow = receiver({
        client: () => createRenewalClient({ baseUrl: proxy.url, policy: { maxAttempts: 4, baseDelayMs: 200, maxDelayMs: 1000, timeoutMs: 10_000 } }),
        onProgress: (p) => {
          progress.push(p);
          if (p.step === 'csr' && p.state === 'done') down = true;
        },
        // The service comes back while the app waits to try again.
        callOptions: () => ({ onWait: (w) => (waits.push(w), (down = false)) }),
      });
      const result = await flow.receive(orderId, card.pin);
      expect(result).toMatchObject({ status: 'completed', resumes: 0 });
      expect(waits.map((w) => [w.operation, w.reason, w.nextAttempt])).toEqual([['pickup', 'SERVICE_UNREACHABLE', 2]]);
      expect(progress.filter((p) => p.state === 'done').map((p) => p.step)).toEqual(['login', 'keygen', 'csr', 'pickup', 'write', 'verify', 'installed']);
      expect(objectIds(card, 'privkey')).toHaveLength(keysBefore + 1);
      await app.tokens.logout(result.slotId);
    } finally {
      await proxy.close();
    }
  }, 120_000);

  it('service stopped during pickup past the last retry: SERVICE_UNREACHABLE; the next run resumes at pickup with the same key', async () => {
    const card = await app.ca.issueCard('H4', 'jana-receive');
    const { orderId, ref } = await orderFor(card);
    const keysBefore = objectIds(card, 'privkey').length;
    let down = false;
    const proxy = await startServiceProxy(app.ca.url, (req) => {
      if (down) req.socket.destroy();
      return down;
    });
    try {
      const flow = receiver({
        client: () => createRenewalClient({ baseUrl: proxy.url, policy: fast }),
        onProgress: (p) => {
          if (p.step === 'csr' && p.state === 'done') down = true;
        },
      });
      await expect(flow.receive(orderId, card.pin)).rejects.toMatchObject({ code: 'SERVICE_UNREACHABLE' });
    } finally {
      await proxy.close();
    }
    await app.tokens.logout(ref.slotId);
    await expectResumedAtPickup(orderId, card, keysBefore);
  }, 120_000);

  it('card removed mid-receive: TOKEN_REMOVED, and once it is back the receive resumes with the same key', async () => {
    const card = await app.ca.issueCard('H3', 'eva-receive');
    const { orderId, ref } = await orderFor(card);
    const keysBefore = objectIds(card, 'privkey').length;
    progress.length = 0;
    const flow = receiver({
      onProgress: (p) => {
        progress.push(p);
        if (p.step === 'csr' && p.state === 'done') pullCard(ref.slotId);
      },
    });
    await expect(flow.receive(orderId, card.pin)).rejects.toMatchObject({ code: 'TOKEN_REMOVED' });
    expect(await app.tokens.isLoggedIn(ref.slotId)).toBe(false);
    await expectResumedAtPickup(orderId, card, keysBefore);
  }, 120_000);
});
