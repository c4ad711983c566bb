import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createOrderStore } from '../../../src-main/orders/order-store.js';
import { safeStorageBox } from '../../../src-main/orders/safe-storage-box.js';
import type { StoredOrder } from '../../../src-shared/contract/schemas/renewal-order.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'obnova-orders-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const at = '2026-11-26T00:00:00.000Z';
function order(id: string, createdAt = at): StoredOrder {
  return {
    orderId: id,
    serviceUrl: 'http://127.0.0.1:1',
    market: 'si',
    createdAt,
    updatedAt: createdAt,
    status: 'awaiting-payment',
    path: 'existing-media',
    certificate: { slotId: '1', objectId: '01', fingerprintSha256: 'a'.repeat(64), serialNumber: 'ab', tokenSerial: null, commonName: 'Ana Novak' },
    invoice: { number: 'P-1', currency: 'EUR', vatBasisPoints: 2200, amount: { net: 100, vat: 22, gross: 122 }, reference: 'SI12 1', issuedAt: at, dueAt: at, qrPayload: 'x', pdf: '/x' },
    timeline: [{ status: 'awaiting-payment', at }],
    newCertificateSerial: null,
    tokenStorage: 'file',
  };
}

describe('order store', () => {
  it('keeps orders across instances (the app closed and opened again), newest first, without leftovers of atomic writes', () => {
    createOrderStore(dir).save(order('R1', '2026-11-25T00:00:00.000Z'));
    createOrderStore(dir).save(order('R2'));
    const reopened = createOrderStore(dir);
    expect(reopened.list().map((o) => o.orderId)).toEqual(['R2', 'R1']);
    expect(reopened.get('R1')?.certificate.commonName).toBe('Ana Novak');
    expect(readdirSync(join(dir, 'orders')).sort()).toEqual(['R1.json', 'R2.json']);
    expect(statSync(join(dir, 'orders', 'R1.json')).mode & 0o777).toBe(0o600);
  });

  it('keeps the access token apart, 0600, and never in the order file', () => {
    const store = createOrderStore(dir);
    store.save(order('R1'));
    store.saveAccessToken('R1', 'secret-token-123');
    expect(statSync(join(dir, 'orders', 'R1.token')).mode & 0o777).toBe(0o600);
    expect(readFileSync(join(dir, 'orders', 'R1.json'), 'utf8')).not.toContain('secret-token-123');
    expect(createOrderStore(dir).accessToken('R1')).toBe('secret-token-123');
    expect(() => store.accessToken('R9')).toThrow(expect.objectContaining({ code: 'ORDER_NOT_FOUND' }));
  });

  it('ignores a damaged file instead of failing the list, and refuses ids that are not file-name safe', () => {
    const store = createOrderStore(dir);
    store.save(order('R1'));
    writeFileSync(join(dir, 'orders', 'R2.json'), '{"orderId": "R2", trunc');
    expect(store.list().map((o) => o.orderId)).toEqual(['R1']);
    expect(() => store.get('../etc/passwd')).toThrow(expect.objectContaining({ code: 'INPUT_INVALID' }));
  });

  it('seals the token with safeStorage when it encrypts, and falls back to the 0600 file when it does not (Linux basic_text)', () => {
    const fake = {
      isEncryptionAvailable: () => true,
      encryptString: (s: string) => Buffer.from(s.split('').reverse().join(''), 'utf8'),
      decryptString: (b: Buffer) => b.toString('utf8').split('').reverse().join(''),
      getSelectedStorageBackend: () => 'gnome_libsecret',
    };
    const box = safeStorageBox(fake, 'linux');
    expect(box.kind).toBe('keychain');
    const store = createOrderStore(dir, box);
    store.saveAccessToken('R1', 'abc123');
    expect(readFileSync(join(dir, 'orders', 'R1.token'), 'utf8')).toBe('321cba');
    expect(store.accessToken('R1')).toBe('abc123');
    expect(safeStorageBox({ ...fake, getSelectedStorageBackend: () => 'basic_text' }, 'linux').kind).toBe('file');
    expect(safeStorageBox({ ...fake, isEncryptionAvailable: () => false }, 'darwin').kind).toBe('file');
  });
});
