/**
 * TokenService.certificateValues and inventory on SoftHSM2: the DER of every certificate object, the same
 * bytes pkcs11-tool reads; token versions as pkcs11-tool -T prints them.
 */
import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTokenService, type TokenService } from '../../../src-main/token/token-service.js';
import { createSoftHsm, type SoftHsmToken } from '../../helpers/softhsm.js';

const hsm = createSoftHsm();
let first: SoftHsmToken;
let second: SoftHsmToken;
let empty: SoftHsmToken;
let service: TokenService;

beforeAll(async () => {
  first = hsm.createToken({ label: 'First', pin: '4711' });
  second = hsm.createToken({ label: 'Second', pin: '4712' });
  empty = hsm.createToken({ label: 'Empty', pin: '4713' });
  await hsm.addKeyAndCertificate(first, { id: 'b2', label: 'B', subject: { commonName: 'Bojan' } });
  await hsm.addKeyAndCertificate(first, { id: 'a1', label: 'A', subject: { commonName: 'Ana' } });
  await hsm.addKeyAndCertificate(second, { id: 'c3', label: 'C', subject: { commonName: 'Cene' } });
  service = createTokenService({ module: { path: hsm.modulePath, source: 'argument', name: null } });
}, 60_000);

afterAll(async () => {
  await service?.close();
  hsm.cleanup();
});

const read = (token: SoftHsmToken, id: string): Buffer =>
  execFileSync('pkcs11-tool', ['--module', hsm.modulePath, '--token-label', token.label, '--read-object', '--type', 'cert', '--id', id], { env: hsm.env, stdio: ['ignore', 'pipe', 'ignore'] });

describe('certificateValues', () => {
  it('returns slot, CKA_ID and the DER pkcs11-tool reads, sorted by CKA_ID, for a slot ID', async () => {
    const values = await service.certificateValues(first.slotId);
    expect(values.map((v) => [v.slotId, v.objectId])).toEqual([
      [first.slotId, 'a1'],
      [first.slotId, 'b2'],
    ]);
    for (const value of values) expect(Buffer.from(value.der).equals(read(first, value.objectId))).toBe(true);
  });

  it('takes a selector: every token, or one by label; a token with no certificate gives none', async () => {
    const all = await service.certificateValues({});
    expect(all.map((v) => v.objectId).sort()).toEqual(['a1', 'b2', 'c3']);
    expect((await service.certificateValues({ tokenLabel: 'Second' })).map((v) => v.objectId)).toEqual(['c3']);
    expect(await service.certificateValues(empty.slotId)).toEqual([]);
  });

  it('refuses a slot that does not exist with TOKEN_SLOT_NOT_FOUND', async () => {
    await expect(service.certificateValues('999999')).rejects.toMatchObject({ code: 'TOKEN_SLOT_NOT_FOUND' });
  });
});

describe('inventory', () => {
  it('gives each token its versions as pkcs11-tool shows them, and the initialized flag', async () => {
    const { tokens } = await service.inventory();
    expect(tokens.map((t) => t.slotId).sort()).toEqual([first.slotId, second.slotId, empty.slotId].sort());
    const listing = hsm.pkcs11Tool(['-T']);
    for (const { facts: f } of tokens) {
      expect(listing).toMatch(new RegExp(`hardware version\\s*: ${f.hardwareVersion.replace('.', '\\.')}\\n`));
      expect(listing).toMatch(new RegExp(`firmware version\\s*: ${f.firmwareVersion.replace('.', '\\.')}\\n`));
      expect(f.flagNames).toContain('CKF_TOKEN_INITIALIZED');
    }
  });

  it('reads in one pass the same certificates and DER as listCertificates and certificateValues', async () => {
    const inventory = await service.inventory();
    const listed = (await service.listCertificates({})).certificates;
    expect(inventory.certificates.map((c) => `${c.slotId}/${c.objectId}`).sort()).toEqual(listed.map((c) => `${c.slotId}/${c.objectId}`).sort());
    const values = await service.certificateValues({});
    expect(inventory.values.map((v) => `${v.slotId}/${v.objectId}/${Buffer.from(v.der).toString('base64')}`).sort()).toEqual(
      values.map((v) => `${v.slotId}/${v.objectId}/${Buffer.from(v.der).toString('base64')}`).sort(),
    );
  });
});
