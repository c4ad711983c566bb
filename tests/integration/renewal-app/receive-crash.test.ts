/**
 * Fault tests inside the keygen step, where the key exists on the card before the journal knows it: the
 * process doing the receive killed right after C_GenerateKeyPair returned, and a journal left as a crash
 * between the two CKA_ID updates leaves it. The next run finds the pair by the order's label and never
 * generates a second key. (A kill of the real headless main after keygen: e2e/renewal-crash.test.ts.)
 */
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createOrderStore } from '../../../src-main/orders/order-store.js';
import { createReceiveFlow } from '../../../src-main/renewal/receive/receive-flow.js';
import { openReceiveJournal } from '../../../src-main/renewal/receive/receive-journal.js';
import { createRenewalClient } from '../../../src-main/service-client/renewal-client.js';
import { useRenewalApp } from './app-fixture.js';
import { softhsmModule, type IssuedCard } from './ca-process.js';
import { cardCertificateSource, objectIds } from './card-reader.js';
import { placeOrderFor } from './order-fixture.js';

const app = useRenewalApp('obnova-app-crash-', { holders: [['H1', 'Ana', 'Novak', '0101990500123'], ['H2', 'Marko', 'Kranjc', '0202985500456']] });
const root = join(import.meta.dirname, '..', '..', '..');

type Line = Record<string, unknown>;

/** Runs the child; resolves with its JSON lines. With `pauseAfter`, SIGKILLs it on the line that says it froze there. */
function runChild(orderId: string, card: IssuedCard, pauseAfter?: 'generated' | 'keygen'): Promise<{ lines: Line[]; signal: NodeJS.Signals | null; pid: number | undefined }> {
  const frozen = (line: Line): boolean => (pauseAfter === 'generated' ? 'generated' in line : line.step === pauseAfter && line.state === 'done');
  return new Promise((resolve) => {
    // node with tsx's loader, not the tsx command: that one runs the code in a second process a SIGKILL would not reach.
    const child = spawn(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'receive-child.ts'), app.appData, orderId, app.ca.url, card.tokenLabel], {
      cwd: root,
      env: { ...process.env, ...(pauseAfter ? { PAUSE_AFTER: pauseAfter } : {}) },
      stdio: ['pipe', 'pipe', 'inherit'],
    });
    const lines: Line[] = [];
    let buffer = '';
    child.stdout.on('data', (d: Buffer) => {
      buffer += d.toString();
      for (let i = buffer.indexOf('\n'); i >= 0; i = buffer.indexOf('\n')) {
        const line = JSON.parse(buffer.slice(0, i)) as Line;
        buffer = buffer.slice(i + 1);
        lines.push(line);
        if (pauseAfter && frozen(line)) child.kill('SIGKILL');
      }
    });
    child.on('exit', (_code, signal) => resolve({ lines, signal, pid: child.pid }));
    child.stdin.end(`${card.pin}\n`);
  });
}

describe('Receive survives a crash inside key generation', () => {
  it('killed after C_GenerateKeyPair, before the journal recorded the key: the restart takes that key, no second one', async () => {
    const card = await app.ca.issueCard('H1', 'crash-card');
    const { orderId } = await placeOrderFor({ ...app, card });
    await app.tokens.close();

    const keysBefore = objectIds(card, 'privkey');
    const certsBefore = objectIds(card, 'cert');
    const killed = await runChild(orderId, card, 'generated');
    expect(killed.signal).toBe('SIGKILL');
    // The process killed is the one that ran the receive.
    expect(killed.lines[0]).toEqual({ pid: killed.pid });
    const generated = killed.lines.find((l) => 'generated' in l)?.generated as string;
    expect(objectIds(card, 'privkey')).toEqual(expect.arrayContaining([...keysBefore, generated]));
    expect(objectIds(card, 'privkey')).toHaveLength(keysBefore.length + 1);
    const crashed = openReceiveJournal(app.appData, orderId).read();
    expect(crashed).toMatchObject({ key: null, keyLabel: `obnova-renewal-${orderId}`, steps: { keygen: { doneAt: null } } });

    const resumed = await runChild(orderId, card);
    const result = resumed.lines.find((l) => 'result' in l)?.result as { keyId: string; resumes: number; resumedFrom: string } | undefined;
    expect(result, JSON.stringify(resumed.lines)).toMatchObject({ keyId: generated, resumes: 1, resumedFrom: 'keygen' });
    expect(resumed.lines.filter((l) => l.state === 'done').map((l) => l.step)).toEqual(['login', 'keygen', 'csr', 'pickup', 'write', 'verify', 'installed']);
    expect(objectIds(card, 'privkey')).toHaveLength(keysBefore.length + 1);
    expect(objectIds(card, 'cert')).toEqual(expect.arrayContaining([...certsBefore, generated]));
    expect(createOrderStore(app.appData).get(orderId)?.status).toBe('completed');
  }, 180_000);

  it('a journal left by a crash between the two CKA_ID updates: the pair is found, its halves put back on one ID, one new key only', async () => {
    const card = await app.ca.issueCard('H2', 'apart-card');
    const { orderId, ref } = await placeOrderFor({ ...app, card });
    const keysBefore = objectIds(card, 'privkey');
    const certsBefore = objectIds(card, 'cert');
    // What the crashed run left: the pair under the order's label, the private half still on a provisional
    // CKA_ID, and a journal whose keygen started but never ended.
    const label = `obnova-renewal-${orderId}`;
    await app.tokens.login(ref.slotId, card.pin);
    const pair = await app.tokens.generateKeyPair(ref.slotId, { type: 'RSA', size: 2048, label });
    await app.tokens.logout(ref.slotId);
    const provisional = 'a1'.repeat(20);
    spawnSync('pkcs11-tool', ['--module', softhsmModule, '--token-label', card.tokenLabel, '--login', '--pin', card.pin, '--type', 'privkey', '--id', pair.id, '--set-id', provisional]);
    expect(objectIds(card, 'privkey')).toContain(provisional);
    const startedAt = new Date().toISOString();
    openReceiveJournal(app.appData, orderId).write({
      orderId,
      oldFingerprint: ref.fingerprintSha256!,
      steps: { keygen: { startedAt, doneAt: null } },
      key: null,
      keyLabel: label,
      csr: null,
      certificate: null,
      chain: [],
      serial: null,
      resumes: 0,
    });

    const flow = createReceiveFlow({
      certificateSource: cardCertificateSource(() => new Map([[ref.slotId, card.tokenLabel]])),
      card: app.tokens,
      client: () => createRenewalClient({ baseUrl: app.ca.url }),
      store: app.store,
      appDataDir: app.appData,
      listCertificates: () => app.tokens.listCertificates({}),
    });
    const result = await flow.receive(orderId, card.pin);
    expect(result).toMatchObject({ status: 'completed', keyId: pair.id, resumes: 1, resumedFrom: 'keygen' });

    const keysAfter = objectIds(card, 'privkey');
    expect(keysAfter).toHaveLength(keysBefore.length + 1);
    expect(keysAfter).toEqual(expect.arrayContaining([...keysBefore, pair.id]));
    expect(keysAfter).not.toContain(provisional);
    expect(objectIds(card, 'pubkey').filter((id) => id === pair.id)).toHaveLength(1);
    expect(objectIds(card, 'cert')).toEqual(expect.arrayContaining([...certsBefore, pair.id]));
    const journal = JSON.parse(readFileSync(openReceiveJournal(app.appData, orderId).path, 'utf8')) as { key: { id: string } };
    expect(journal.key.id).toBe(pair.id);
    await app.tokens.logout(result.slotId);
  }, 180_000);
});
