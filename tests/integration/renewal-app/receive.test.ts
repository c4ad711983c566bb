/**
 * Receive on the same SoftHSM card against the real service (child processes): the full first renewal,
 * checked from outside with pkcs11-tool (new key and certificate share a CKA_ID, old certificate kept)
 * and openssl verify; and a service outage during pickup that resumes without a second key.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pkcs11js from 'pkcs11js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { slotIdOf } from '../../../src-main/token/slot.js';
import { createOrderStore, type OrderStore } from '../../../src-main/orders/order-store.js';
import { createOrderFlow } from '../../../src-main/renewal/order-flow.js';
import { createReceiveFlow } from '../../../src-main/renewal/receive/receive-flow.js';
import { createRenewalClient } from '../../../src-main/service-client/renewal-client.js';
import type { ServiceWait } from '../../../src-main/service-client/service-wait.js';
import { resolveModule } from '../../../src-main/token/module-resolver.js';
import { createTokenService, type TokenService } from '../../../src-main/token/token-service.js';
import type { ReceiveProgress } from '../../../src-shared/contract/schemas/renewal-receive.js';
import type { CertificateRef } from '../../../src-shared/contract/schemas/renewal.js';
import { toPem } from '../../../src-shared/pki/pem.js';
import { useSoftHsmEnv } from '../../helpers/service/softhsm-env.js';
import { softhsmModule, startCaProcess, type CaProcess, type IssuedCard } from './ca-process.js';
import { cardCertificateSource, readCardCertificates } from './card-reader.js';

const hsm = useSoftHsmEnv('obnova-app-receive-');
const billing = { name: 'Ana Novak', street: 'Trubarjeva 5', postalCode: '1000', city: 'Ljubljana', country: 'SI', vatId: null };
const fast = { maxAttempts: 2, baseDelayMs: 50, maxDelayMs: 200, timeoutMs: 10_000 };

let ca: CaProcess;
let tokens: TokenService;
let store: OrderStore;
let appData: string;
const slots = new Map<string, string>();
const progress: ReceiveProgress[] = [];

function deps() {
  return {
    certificateSource: cardCertificateSource(() => slots),
    client: () => createRenewalClient({ baseUrl: ca.url, policy: fast }),
    serviceUrl: () => ca.url,
    store,
  };
}

function pkcs11Objects(label: string, pin: string): string {
  const r = spawnSync('pkcs11-tool', ['--module', softhsmModule, '--token-label', label, '--login', '--pin', pin, '-O'], { encoding: 'utf8' });
  expect(r.status, r.stderr).toBe(0);
  return r.stdout;
}

/** Objects of one class by CKA_ID, as pkcs11-tool -O lists them. */
function idsOf(listing: string, kind: 'Private Key' | 'Certificate' | 'Public Key'): string[] {
  return listing
    .split(/\n(?=\S)/)
    .filter((block) => block.startsWith(`${kind} Object`))
    .map((block) => /ID:\s*([0-9a-f]+)/i.exec(block)?.[1]?.toLowerCase() ?? '');
}

async function orderFor(card: IssuedCard): Promise<{ orderId: string; ref: CertificateRef }> {
  const list = await tokens.listCertificates({ tokenLabel: card.tokenLabel });
  const entry = list.certificates.find((c) => c.readable && !c.isCertificateAuthority);
  if (!entry?.readable) throw new Error('no holder certificate');
  slots.set(entry.slotId, card.tokenLabel);
  const ref = { slotId: entry.slotId, objectId: entry.objectId, fingerprintSha256: entry.fingerprintSha256 };
  const flow = createOrderFlow({ ...deps(), card: tokens, tokenStorage: 'file' });
  const prep = await flow.prepareOrder(ref);
  const order = await flow.placeOrder({
    certificate: ref,
    document: { type: 'obnova.renewal-order', version: 1, market: prep.market, nonce: prep.nonce, certificateSerial: prep.certificateSerial, billing, email: 'ana@example.si', locale: 'en' },
    pin: card.pin,
  });
  await ca.markPaid(order.orderId);
  // The order was signed in this sitting; the receive below logs in again as a new sitting would.
  await tokens.logout(ref.slotId);
  return { orderId: order.orderId, ref };
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

function receiver() {
  return createReceiveFlow({ ...deps(), card: tokens, appDataDir: appData, listCertificates: () => tokens.listCertificates({}), onProgress: (p) => progress.push(p) });
}

beforeAll(async () => {
  ca = await startCaProcess();
  await ca.addHolder('H1', 'Ana', 'Novak', '0101990500123');
  await ca.addHolder('H2', 'Marko', 'Kranjc', '0202985500456');
  await ca.addHolder('H3', 'Eva', 'Zupan', '0303970500789');
  await ca.addHolder('H4', 'Jana', 'Kos', '0404975500111');
  tokens = createTokenService({ module: resolveModule({ argument: softhsmModule, env: process.env }) });
  appData = mkdtempSync(join(tmpdir(), 'obnova-app-data-'));
  store = createOrderStore(appData);
}, 180_000);

afterAll(async () => {
  await tokens?.close();
  await ca?.cleanup();
  rmSync(appData, { recursive: true, force: true });
  hsm.cleanup();
});

describe('Receive on the same card', () => {
  it('new key and certificate on the card under one CKA_ID, old certificate kept, chain verifies with openssl, order completed', async () => {
    const card = await ca.issueCard('H1', 'ana-receive');
    const before = pkcs11Objects(card.tokenLabel, card.pin);
    const { orderId, ref } = await orderFor(card);
    progress.length = 0;
    const result = await receiver().receive(orderId, card.pin);
    expect(result).toMatchObject({ orderId, status: 'completed', resumes: 0, resumedFrom: null });
    expect(progress.filter((p) => p.state === 'done').map((p) => p.step)).toEqual(['login', 'keygen', 'csr', 'pickup', 'write', 'verify', 'installed']);

    const after = pkcs11Objects(card.tokenLabel, card.pin);
    expect(idsOf(after, 'Private Key')).toEqual(expect.arrayContaining([...idsOf(before, 'Private Key'), result.keyId]));
    expect(idsOf(after, 'Private Key')).toHaveLength(idsOf(before, 'Private Key').length + 1);
    expect(idsOf(after, 'Certificate')).toEqual(expect.arrayContaining([ref.objectId, result.keyId]));

    const certs = readCardCertificates(card.tokenLabel);
    const fresh = certs.find((c) => c.objectId === result.keyId)!;
    const dir = mkdtempSync(join(tmpdir(), 'obnova-verify-'));
    writeFileSync(join(dir, 'new.pem'), toPem(fresh.der, 'CERTIFICATE'));
    writeFileSync(join(dir, 'ca.pem'), [toPem(ca.root.der, 'CERTIFICATE'), toPem(ca.issuing.der, 'CERTIFICATE')].join(''));
    const verify = spawnSync('openssl', ['verify', '-CAfile', join(dir, 'ca.pem'), join(dir, 'new.pem')], { encoding: 'utf8' });
    expect(verify.stdout.trim(), verify.stderr).toBe(`${join(dir, 'new.pem')}: OK`);
    const serial = spawnSync('openssl', ['x509', '-in', join(dir, 'new.pem'), '-noout', '-serial'], { encoding: 'utf8' }).stdout.trim().toLowerCase();
    expect(serial.replace(/^serial=0*/, '')).toBe(result.serial.replace(/^0*/, ''));
    rmSync(dir, { recursive: true, force: true });

    expect(store.get(orderId)).toMatchObject({ status: 'completed', newCertificateSerial: result.serial });
    const journal = JSON.parse(readFileSync(join(appData, 'journal', `receive-${orderId}.json`), 'utf8')) as { steps: Record<string, { doneAt: string | null }> };
    expect(Object.values(journal.steps).every((s) => s.doneAt)).toBe(true);
    // A second receive finds everything done and changes nothing on the card.
    const again = await receiver().receive(orderId, card.pin);
    expect(again.keyId).toBe(result.keyId);
    expect(idsOf(pkcs11Objects(card.tokenLabel, card.pin), 'Private Key')).toHaveLength(idsOf(after, 'Private Key').length);
    // End the sitting so the token service rescans and sees the next test's new card.
    await tokens.logout(result.slotId);
  }, 120_000);

  it('service down during pickup: the wait is reported (what for, how long), and the same receive then succeeds', async () => {
    const card = await ca.issueCard('H2', 'marko-receive');
    const { orderId } = await orderFor(card);
    const keysBefore = idsOf(pkcs11Objects(card.tokenLabel, card.pin), 'Private Key').length;
    // The service behind a switch: "down" drops every connection, like a stopped server.
    let down = false;
    const upstream = new URL(ca.url);
    const proxy = createServer((req, res) => {
      if (down) return void req.socket.destroy();
      const forward = httpRequest({ host: upstream.hostname, port: upstream.port, path: req.url, method: req.method, headers: req.headers }, (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      });
      req.pipe(forward);
    });
    await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', r));
    const waits: ServiceWait[] = [];
    progress.length = 0;
    try {
      const flow = createReceiveFlow({
        ...deps(),
        client: () => createRenewalClient({ baseUrl: `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`, policy: { maxAttempts: 4, baseDelayMs: 200, maxDelayMs: 1000, timeoutMs: 10_000 } }),
        card: tokens,
        appDataDir: appData,
        listCertificates: () => tokens.listCertificates({}),
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
      expect(idsOf(pkcs11Objects(card.tokenLabel, card.pin), 'Private Key')).toHaveLength(keysBefore + 1);
      await tokens.logout(result.slotId);
    } finally {
      proxy.closeAllConnections();
      await new Promise((r) => proxy.close(r));
    }
  }, 120_000);

  it('service stopped during pickup past the last retry: SERVICE_UNREACHABLE; the next run resumes at pickup with the same key', async () => {
    const card = await ca.issueCard('H4', 'jana-receive');
    const { orderId, ref } = await orderFor(card);
    const keysBefore = idsOf(pkcs11Objects(card.tokenLabel, card.pin), 'Private Key').length;
    let down = false;
    const upstream = new URL(ca.url);
    const proxy = createServer((req, res) => {
      if (down) return void req.socket.destroy();
      const forward = httpRequest({ host: upstream.hostname, port: upstream.port, path: req.url, method: req.method, headers: req.headers }, (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      });
      req.pipe(forward);
    });
    await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', r));
    try {
      const flow = createReceiveFlow({
        ...deps(),
        client: () => createRenewalClient({ baseUrl: `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`, policy: fast }),
        card: tokens,
        appDataDir: appData,
        listCertificates: () => tokens.listCertificates({}),
        onProgress: (p) => {
          if (p.step === 'csr' && p.state === 'done') down = true;
        },
      });
      await expect(flow.receive(orderId, card.pin)).rejects.toMatchObject({ code: 'SERVICE_UNREACHABLE' });
    } finally {
      proxy.closeAllConnections();
      await new Promise((r) => proxy.close(r));
    }
    await tokens.logout(ref.slotId);
    progress.length = 0;
    const result = await receiver().receive(orderId, card.pin);
    expect(result).toMatchObject({ status: 'completed', resumes: 1, resumedFrom: 'pickup' });
    expect(progress.filter((p) => p.state === 'started').map((p) => p.step)).toEqual(['login', 'pickup', 'write', 'verify', 'installed']);
    expect(idsOf(pkcs11Objects(card.tokenLabel, card.pin), 'Private Key')).toHaveLength(keysBefore + 1);
    await tokens.logout(result.slotId);
  }, 120_000);

  it('card removed mid-receive: TOKEN_REMOVED, and once it is back the receive resumes with the same key', async () => {
    const card = await ca.issueCard('H3', 'eva-receive');
    const { orderId, ref } = await orderFor(card);
    const keysBefore = idsOf(pkcs11Objects(card.tokenLabel, card.pin), 'Private Key').length;
    progress.length = 0;
    const flow = createReceiveFlow({
      ...deps(),
      card: tokens,
      appDataDir: appData,
      listCertificates: () => tokens.listCertificates({}),
      onProgress: (p) => {
        progress.push(p);
        if (p.step === 'csr' && p.state === 'done') pullCard(ref.slotId);
      },
    });
    await expect(flow.receive(orderId, card.pin)).rejects.toMatchObject({ code: 'TOKEN_REMOVED' });
    expect(await tokens.isLoggedIn(ref.slotId)).toBe(false);
    progress.length = 0;
    const result = await receiver().receive(orderId, card.pin);
    expect(result).toMatchObject({ status: 'completed', resumes: 1, resumedFrom: 'pickup' });
    expect(progress.filter((p) => p.state === 'started').map((p) => p.step)).toEqual(['login', 'pickup', 'write', 'verify', 'installed']);
    expect(idsOf(pkcs11Objects(card.tokenLabel, card.pin), 'Private Key')).toHaveLength(keysBefore + 1);
    await tokens.logout(result.slotId);
  }, 120_000);
});
