/**
 * Fault test: the process doing the receive is killed after the key was generated and before the
 * certificate is written; the next run resumes from the journal and never makes a second key.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOrderStore, type OrderStore } from '../../../src-main/orders/order-store.js';
import { createOrderFlow } from '../../../src-main/renewal/order-flow.js';
import { createRenewalClient } from '../../../src-main/service-client/renewal-client.js';
import { resolveModule } from '../../../src-main/token/module-resolver.js';
import { createTokenService, type TokenService } from '../../../src-main/token/token-service.js';
import { useSoftHsmEnv } from '../../helpers/service/softhsm-env.js';
import { softhsmModule, startCaProcess, type CaProcess } from './ca-process.js';
import { cardCertificateSource } from './card-reader.js';
import { spawnSync } from 'node:child_process';

const hsm = useSoftHsmEnv('obnova-app-crash-');
const root = join(import.meta.dirname, '..', '..', '..');
const tsx = join(root, 'node_modules', '.bin', 'tsx');

let ca: CaProcess;
let tokens: TokenService;
let store: OrderStore;
let appData: string;

function privateKeyIds(label: string, pin: string): string[] {
  const out = spawnSync('pkcs11-tool', ['--module', softhsmModule, '--token-label', label, '--login', '--pin', pin, '-O', '--type', 'privkey'], { encoding: 'utf8' }).stdout;
  return [...out.matchAll(/ID:\s*([0-9a-f]+)/gi)].map((m) => m[1]!);
}

function certificateIds(label: string): string[] {
  const out = spawnSync('pkcs11-tool', ['--module', softhsmModule, '--token-label', label, '-O', '--type', 'cert'], { encoding: 'utf8' }).stdout;
  return [...out.matchAll(/ID:\s*([0-9a-f]+)/gi)].map((m) => m[1]!);
}

/** Runs the child; resolves with its JSON lines. With `killAfter`, SIGKILLs it once that step's "done" line arrives. */
function runChild(orderId: string, label: string, pin: string, killAfter?: string): Promise<{ lines: Record<string, unknown>[]; signal: NodeJS.Signals | null }> {
  return new Promise((resolve) => {
    const child = spawn(tsx, [join(import.meta.dirname, 'receive-child.ts'), appData, orderId, ca.url, label], {
      cwd: root,
      env: { ...process.env, ...(killAfter ? { PAUSE_AFTER: killAfter } : {}) },
      stdio: ['pipe', 'pipe', 'inherit'],
    });
    const lines: Record<string, unknown>[] = [];
    let buffer = '';
    child.stdout.on('data', (d: Buffer) => {
      buffer += d.toString();
      for (let i = buffer.indexOf('\n'); i >= 0; i = buffer.indexOf('\n')) {
        const line = JSON.parse(buffer.slice(0, i)) as Record<string, unknown>;
        buffer = buffer.slice(i + 1);
        lines.push(line);
        if (killAfter && line.step === killAfter && line.state === 'done') child.kill('SIGKILL');
      }
    });
    child.on('exit', (_code, signal) => resolve({ lines, signal }));
    child.stdin.end(`${pin}\n`);
  });
}

beforeAll(async () => {
  ca = await startCaProcess();
  await ca.addHolder('H1', 'Ana', 'Novak', '0101990500123');
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

describe('Receive survives a crash', () => {
  it('killed after key generation, before the write: the restart resumes and never generates a second key', async () => {
    const card = await ca.issueCard('H1', 'crash-card');
    const list = await tokens.listCertificates({ tokenLabel: card.tokenLabel });
    const entry = list.certificates.find((c) => c.readable && !c.isCertificateAuthority);
    if (!entry?.readable) throw new Error('no holder certificate');
    const ref = { slotId: entry.slotId, objectId: entry.objectId, fingerprintSha256: entry.fingerprintSha256 };
    const flow = createOrderFlow({
      certificateSource: cardCertificateSource(() => new Map([[entry.slotId, card.tokenLabel]])),
      card: tokens,
      client: () => createRenewalClient({ baseUrl: ca.url }),
      serviceUrl: () => ca.url,
      store,
      tokenStorage: 'file',
    });
    const prep = await flow.prepareOrder(ref);
    const order = await flow.placeOrder({
      certificate: ref,
      document: { type: 'obnova.renewal-order', version: 1, market: 'si', nonce: prep.nonce, certificateSerial: prep.certificateSerial, billing: { name: 'Ana Novak', street: 'Trubarjeva 5', postalCode: '1000', city: 'Ljubljana', country: 'SI', vatId: null }, email: 'ana@example.si', locale: 'sl' },
      pin: card.pin,
    });
    await ca.markPaid(order.orderId);
    await tokens.close();

    const keysBefore = privateKeyIds(card.tokenLabel, card.pin);
    const certsBefore = certificateIds(card.tokenLabel);
    const killed = await runChild(order.orderId, card.tokenLabel, card.pin, 'keygen');
    expect(killed.signal).toBe('SIGKILL');
    expect(killed.lines.filter((l) => l.state === 'done').map((l) => l.step)).toEqual(['login', 'keygen']);
    const keysAfterCrash = privateKeyIds(card.tokenLabel, card.pin);
    expect(keysAfterCrash).toHaveLength(keysBefore.length + 1);
    expect(certificateIds(card.tokenLabel)).toEqual(certsBefore);
    const journal = JSON.parse(readFileSync(join(appData, 'journal', `receive-${order.orderId}.json`), 'utf8')) as { key: { id: string } | null; steps: Record<string, unknown> };
    expect(journal.key?.id).toBeTruthy();
    expect(Object.keys(journal.steps)).toEqual(['keygen']);

    const resumed = await runChild(order.orderId, card.tokenLabel, card.pin);
    const result = resumed.lines.find((l) => 'result' in l)?.result as { keyId: string; resumes: number; resumedFrom: string } | undefined;
    expect(result, JSON.stringify(resumed.lines)).toMatchObject({ keyId: journal.key!.id, resumes: 1, resumedFrom: 'keygen' });
    expect(resumed.lines.filter((l) => l.state === 'started').map((l) => l.step)).toEqual(['login', 'csr', 'pickup', 'write', 'verify', 'installed']);
    expect(privateKeyIds(card.tokenLabel, card.pin)).toHaveLength(keysBefore.length + 1);
    expect(certificateIds(card.tokenLabel)).toContain(journal.key!.id);
    expect(createOrderStore(appData).get(order.orderId)?.status).toBe('completed');
  }, 180_000);
});
