/**
 * `obnova-ca backup` of a running CA (SQLite online backup) restored into a fresh directory: the
 * restored service answers OCSP for the certificates issued before, signs with the same HSM keys,
 * and its back office lists the same orders. And the failure paths: a damaged or foreign backup,
 * a target that already holds a CA, a restored CA started without its HSM PIN.
 */
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { unzipSync, zipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { restoreCa } from '../../../src-service/backup/restore.js';
import { unloadAllModules } from '../../../src-service/hsm/pkcs11-module.js';
import { markPaid } from '../../../src-service/renewal/admin-actions.js';
import { signCms } from '../../../src-shared/pki/cms-sign.js';
import { startChildInstance } from '../../helpers/renewal/instance.js';
import { makeHolders, type SimHolder } from '../../helpers/renewal/load-run.js';
import { challenge, orderDocument, postCms } from '../../helpers/renewal/protocol-client.js';
import { renewalFixture, type RenewalFixture } from '../../helpers/renewal/renewal-fixture.js';
import { runCaCli } from '../../helpers/renewal/run-ca-cli.js';
import { runToolAsync } from '../../helpers/service/openssl.js';
import { useSoftHsmEnv } from '../../helpers/service/softhsm-env.js';

const hsm = useSoftHsmEnv('obnova-backup-hsm-');
const adminToken = 'backup-restore-admin-token-0123456789';
let f: RenewalFixture;
let holders: SimHolder[];
const orderIds: string[] = [];
let work: string;

const pem = (der: Uint8Array): string => `-----BEGIN CERTIFICATE-----\n${Buffer.from(der).toString('base64').replace(/(.{64})/g, '$1\n')}\n-----END CERTIFICATE-----\n`;

beforeAll(async () => {
  f = await renewalFixture({ db: 'sqlite' });
  work = join(f.ca.dir, '..', `${f.ca.dir.split('/').pop()}-work`);
  mkdirSync(work);
  // Served from the CA directory: the back office on loopback, so the restored copy can be asked for its orders.
  writeFileSync(join(f.ca.dir, 'obnova-renewal.json'), JSON.stringify({ admin: { port: 0 } }));
  holders = await makeHolders(f.ctx, 2, '91');
  for (const h of holders) {
    const placed = await postCms(f.app, '/v1/orders', await signCms(orderDocument(await challenge(f.app), h.certificate.serialNumber), h.signer));
    expect(placed.statusCode).toBe(201);
    orderIds.push((placed.json() as { orderId: string }).orderId);
  }
  await markPaid(f.ctx, orderIds[0]!, 'test');
}, 120_000);
afterAll(async () => {
  await f?.close();
  unloadAllModules();
  rmSync(work, { recursive: true, force: true });
  hsm.cleanup();
});

describe('obnova-ca backup and restore', () => {
  let backup: string;

  it('backs up the CA while its service is open: the directory and a SQLite copy, without the HSM PIN files', () => {
    backup = join(work, 'ca.obnova-backup');
    const r = runCaCli(['backup', '--dir', f.ca.dir, '--out', backup, '--json']);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const summary = JSON.parse(r.stdout) as { database: string; leftOut: string[]; files: number };
    expect(summary.database).toBe('sqlite');
    expect(summary.leftOut.sort()).toEqual(['hsm-so.pin', 'hsm-user.pin']);
    expect(readFileSync(backup).includes(Buffer.from(readFileSync(join(f.ca.dir, 'hsm-user.pin'), 'utf8').trim()))).toBe(false);
  });

  it('restores into a fresh directory that serves the same certificates, OCSP answers and orders', async () => {
    const restored = join(work, 'restored');
    const r = runCaCli(['restore', '--from', backup, '--dir', restored]);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('integrity checked');
    expect(r.stdout).toContain(`put the HSM PIN back in ${join(restored, 'hsm-user.pin')}`);
    const config = JSON.parse(readFileSync(join(restored, 'obnova-ca.json'), 'utf8')) as { hsm: { pinFile: string } };
    expect(config.hsm.pinFile).toBe(join(restored, 'hsm-user.pin'));

    await expect(startChildInstance(restored, { SOFTHSM2_CONF: hsm.conf })).rejects.toThrow(/CA_HSM_PIN_MISSING/);
    copyFileSync(join(f.ca.dir, 'hsm-user.pin'), join(restored, 'hsm-user.pin'));
    const served = await startChildInstance(restored, { SOFTHSM2_CONF: hsm.conf, OBNOVA_ADMIN_TOKEN: adminToken });
    try {
      const issuing = await fetch(`${served.url}/ca/issuing.cer`);
      expect(Buffer.from(await issuing.arrayBuffer()).equals(Buffer.from(f.service.authority.member('issuing').der))).toBe(true);
      for (const h of holders) {
        const certFile = join(work, `${h.certificate.serialNumber}.pem`);
        writeFileSync(certFile, pem(h.certificate.der));
        const ocsp = await runToolAsync('openssl', ['ocsp', '-issuer', join(restored, 'issuing.pem'), '-cert', certFile, '-url', `${served.url}/ocsp`, '-CAfile', join(restored, 'root.pem')]);
        expect(ocsp.stdout).toContain(': good');
        expect(ocsp.stderr).toContain('Response verify OK');
      }
      const listed = (await (await fetch(`${served.adminUrl}/admin/orders`, { headers: { authorization: `Bearer ${adminToken}` } })).json()) as { id: string; status: string }[];
      const before = await f.ctx.db.selectFrom('renewal_orders').select(['id', 'status']).execute();
      expect(listed.map((o) => ({ id: o.id, status: o.status })).sort((a, b) => a.id.localeCompare(b.id))).toEqual(before.sort((a, b) => a.id.localeCompare(b.id)));
      expect(new Set(listed.map((o) => o.id))).toEqual(new Set(orderIds));
    } finally {
      await served.stop();
    }
  }, 120_000);

  it('refuses to restore over a CA, and a damaged or foreign file, leaving nothing behind', () => {
    expect(() => restoreCa(backup, f.ca.dir)).toThrow(expect.objectContaining({ code: 'CA_ALREADY_INITIALIZED' }));
    const truncated = join(work, 'truncated.obnova-backup');
    writeFileSync(truncated, readFileSync(backup).subarray(0, 2000));
    const foreign = join(work, 'foreign.zip');
    writeFileSync(foreign, zipSync({ 'notes.txt': new TextEncoder().encode('hello') }));
    const entries = unzipSync(readFileSync(backup));
    delete entries['database/ca.sqlite'];
    const withoutDatabase = join(work, 'without-database.obnova-backup');
    writeFileSync(withoutDatabase, zipSync(entries));
    for (const file of [truncated, foreign, withoutDatabase]) {
      const target = join(work, `from-${file.split('/').pop()}`);
      expect(() => restoreCa(file, target), file).toThrow(expect.objectContaining({ code: 'CA_BACKUP_INVALID' }));
      expect(existsSync(target), file).toBe(false);
    }
  });
});
