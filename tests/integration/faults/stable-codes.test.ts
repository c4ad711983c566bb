/**
 * Hostile or careless input to the pickup gets a stable code, never a 500 or INTERNAL: a signer
 * certificate restricted to keyEncipherment is a 400 CERT_KEY_USAGE_INVALID, and an unknown order
 * id answers exactly like another holder's order (403 RENEWAL_SIGNER_MISMATCH), so ids cannot be probed.
 * The SQLite register (personal numbers, addresses) and its -wal/-shm files are 0600.
 */
import 'reflect-metadata';
import { type webcrypto } from 'node:crypto';
import { chmodSync, existsSync, statSync } from 'node:fs';
import * as x509 from '@peculiar/x509';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CaService } from '../../../src-service/ca/ca-service.js';
import { unloadAllModules } from '../../../src-service/hsm/pkcs11-module.js';
import { markPaid } from '../../../src-service/renewal/admin-actions.js';
import { signCms } from '../../../src-shared/pki/cms-sign.js';
import { softwareSigner } from '../../../src-shared/pki/signer.js';
import { issue } from '../../helpers/pki/pki-factory.js';
import { makeHolders } from '../../helpers/renewal/load-run.js';
import { challenge, orderDocument, pickupDocument, postCms } from '../../helpers/renewal/protocol-client.js';
import { renewalFixture, type RenewalFixture } from '../../helpers/renewal/renewal-fixture.js';
import { createTestCa } from '../../helpers/service/ca-factory.js';
import { makeCsr } from '../../helpers/service/csr.js';
import { useSoftHsmEnv } from '../../helpers/service/softhsm-env.js';

const hsm = useSoftHsmEnv('obnova-stable-codes-');
let f: RenewalFixture;
beforeAll(async () => {
  f = await renewalFixture({ db: 'sqlite' });
}, 60_000);
afterAll(async () => {
  await f?.close();
  unloadAllModules();
  hsm.cleanup();
});

describe('stable codes for hostile pickups', () => {
  it('refuses a CMS whose signer may only encipher keys with 400 CERT_KEY_USAGE_INVALID', async () => {
    const enc = await issue({ subject: 'CN=Encryption only', keyType: 'RSA', keyUsage: x509.KeyUsageFlags.keyEncipherment });
    const signer = softwareSigner(enc.keys.privateKey as webcrypto.CryptoKey, { certificate: enc.certificate });
    const csr = await makeCsr('EC-P256');
    const r = await postCms(f.app, '/v1/orders/R0000000001/certificate', await signCms(pickupDocument('R0000000001', csr.der), signer));
    expect(r.statusCode).toBe(400);
    expect(r.json().code).toBe('CERT_KEY_USAGE_INVALID');
  });

  it('answers an unknown order id exactly like another holder’s order', async () => {
    const [owner, stranger] = await makeHolders(f.ctx, 2, '93');
    const placed = await postCms(f.app, '/v1/orders', await signCms(orderDocument(await challenge(f.app), owner!.certificate.serialNumber), owner!.signer));
    const orderId = (placed.json() as { orderId: string }).orderId;
    await markPaid(f.ctx, orderId, 'test');
    const csr = await makeCsr('EC-P256');
    const others = await postCms(f.app, `/v1/orders/${orderId}/certificate`, await signCms(pickupDocument(orderId, csr.der), stranger!.signer));
    const missing = await postCms(f.app, '/v1/orders/R9999999999/certificate', await signCms(pickupDocument('R9999999999', csr.der), stranger!.signer));
    expect(others.statusCode).toBe(403);
    expect(missing.statusCode).toBe(others.statusCode);
    expect(missing.json()).toEqual({ ...others.json(), title: missing.json().title });
    expect(missing.json().code).toBe('RENEWAL_SIGNER_MISMATCH');
  });
});

describe('the SQLite register on disk', () => {
  it('is readable by its owner only, with its -wal and -shm files (0600)', async () => {
    const ca = await createTestCa();
    try {
      const file = ca.config.database.slice('sqlite:'.length);
      chmodSync(file, 0o644); // as an older version left it
      const service = await CaService.open(ca.config);
      try {
        for (const f of [file, `${file}-wal`, `${file}-shm`]) {
          expect(existsSync(f), f).toBe(true);
          expect((statSync(f).mode & 0o777).toString(8), f).toBe('600');
        }
      } finally {
        await service.close();
      }
    } finally {
      await ca.cleanup();
    }
  }, 60_000);
});

describe('an unreachable database at start', () => {
  it('is CA_DATABASE_UNAVAILABLE, not "INTERNAL: database migration failed"', async () => {
    // The file's CA with its database moved away. Port 9 (discard) on loopback: nothing listens, the connection is refused at once.
    await expect(CaService.open({ ...f.ca.config, database: 'postgres://postgres@127.0.0.1:9/none' })).rejects.toMatchObject({ code: 'CA_DATABASE_UNAVAILABLE' });
  }, 60_000);
});
