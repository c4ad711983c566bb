/**
 * A full card on OpenSC: the IsoApplet emulator refuses new keys and files beyond its EEPROM (6A84, which
 * OpenSC reports as CKR_DEVICE_MEMORY). Receive then stops with TOKEN_MEMORY_FULL before anything is lost:
 * the old key and certificate stay, the order stays ready for pickup (or, when the certificate was already
 * issued, it is kept by the app), and once there is room the same receive completes with the same order.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { issueOntoOpenscCard, type OpenscHolderCard } from './holder-card.js';
import { useOpenscApp } from './opensc-app.js';

const app = useOpenscApp([['H1', 'Ana', 'Novak', '0101990500123']]);
let card: OpenscHolderCard;

/** pkcs11-tool -O after login, without the profile object's handle (a number that changes from run to run). */
const objects = async (): Promise<string> => (await app.world.tool('pkcs11-tool', ['--login', '--pin', card.pin, '-O'])).replace(/Profile object \d+/g, 'Profile object');
const count = (listing: string, kind: string): number => listing.split(`${kind} Object;`).length - 1;
const orderStatus = async (): Promise<string | undefined> => (JSON.parse((await app.obnova(['renew', 'status', '--json'])).stdout) as { orders: { status: string }[] }).orders[0]?.status;

beforeAll(async () => {
  card = await issueOntoOpenscCard(app.world, app.ca, { holderId: 'H1', name: 'Ana Novak', pin: '4711', puk: '1234567890123456', serial: '0b0a0000000003' });
  writeFileSync(join(app.work, 'billing.json'), JSON.stringify({ name: 'Ana Novak', street: 'Trubarjeva 5', postalCode: '1000', city: 'Ljubljana', country: 'SI', vatId: null, email: 'ana@example.si' }));
  const order = await app.obnova(['renew', 'order', '--token-label', card.tokenLabel, '--billing', join(app.work, 'billing.json'), '--pin-stdin', '--json'], `${card.pin}\n`);
  await app.ca.markPaid((JSON.parse(order.stdout) as { orderId: string }).orderId);
}, 240_000);

describe('Receive on a full card (OpenSC)', () => {
  it('no room for a new key: TOKEN_MEMORY_FULL, the card says so in words, nothing changed on the card, the order still ready for pickup', async () => {
    const before = await objects();
    await app.card.limitMemory('used');
    const run = await app.obnova(['renew', 'receive', '--pin-stdin', '--json'], `${card.pin}\n`);
    expect(run.code).not.toBe(0);
    const failure = JSON.parse(run.stdout) as { error: { code: string; sentence: string } };
    expect(failure.error.code).toBe('TOKEN_MEMORY_FULL');
    expect(failure.error.sentence).toMatch(/no free space left on the card/);
    expect(failure.error.sentence).toMatch(/new card/);
    expect(await objects()).toBe(before);
    expect(await orderStatus()).toBe('ready-for-pickup');
  }, 120_000);

  it('room for the key but not the certificate: stopped at writing, the issued certificate kept by the app; with room again the same receive completes on the same key', async () => {
    const before = await objects();
    // The key (1200 bytes in the emulator's count) and its public key file fit, a certificate file does not.
    const { usedBytes } = await app.card.state();
    await app.card.limitMemory(usedBytes + 1200 + 400);
    const stopped = await app.obnova(['renew', 'receive', '--pin-stdin', '--json'], `${card.pin}\n`);
    expect((JSON.parse(stopped.stdout) as { error: { code: string } }).error.code).toBe('TOKEN_MEMORY_FULL');
    const partial = await objects();
    expect(count(partial, 'Certificate')).toBe(count(before, 'Certificate'));
    expect(count(partial, 'Private Key')).toBe(count(before, 'Private Key') + 1);
    await app.card.limitMemory(null);
    const run = await app.obnova(['renew', 'receive', '--pin-stdin', '--json'], `${card.pin}\n`);
    expect(run.stderr).toBe('');
    expect(JSON.parse(run.stdout)).toMatchObject({ status: 'completed' });
    const after = await objects();
    expect(count(after, 'Private Key')).toBe(count(before, 'Private Key') + 1);
    expect(count(after, 'Certificate')).toBe(count(before, 'Certificate') + 1);
    expect(await orderStatus()).toBe('completed');
  }, 180_000);
});
