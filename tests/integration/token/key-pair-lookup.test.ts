/**
 * Finding a generated key pair again by its label (what a resumed renewal does after a crash), on SoftHSM:
 * halves whose CKA_IDs a crash left apart are put back on SHA-1 of the key, as pkcs11-tool then shows.
 */
import { createHash, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keyIdOf, tokenKeyOfSpki } from '../../../src-main/token/public-key.js';
import { createTokenService, type TokenService } from '../../../src-main/token/token-service.js';
import { createSoftHsm, type SoftHsmToken } from '../../helpers/softhsm.js';

const hsm = createSoftHsm();
let token: SoftHsmToken;
let service: TokenService;

beforeAll(async () => {
  token = hsm.createToken({ label: 'Lookup', pin: '4711', soPin: '87654321' });
  service = createTokenService({
    module: { path: hsm.modulePath, source: 'probe', name: 'SoftHSM 2', id: 'softhsm2', tokenRescan: 'reinitialize', pinUnblockStrategy: 'so-login-init-pin' },
  });
  await service.login(token.slotId, token.pin);
});
afterAll(async () => {
  await service.close();
  hsm.cleanup();
});

/** Key objects as pkcs11-tool lists them after a login: kind, label and CKA_ID. */
function keysOnCard(): Array<{ kind: 'private' | 'public'; label: string; id: string }> {
  const out = hsm.pkcs11Tool(['--token-label', token.label, '--login', '--pin', token.pin, '-O']);
  return out
    .split(/\n(?=\S)/)
    .filter((b) => /^(Private|Public) Key Object/.test(b))
    .map((b) => ({ kind: b.startsWith('Private') ? 'private' : 'public', label: /label:\s*(.*)/.exec(b)?.[1]?.trim() ?? '', id: /ID:\s*([0-9a-f]+)/.exec(b)?.[1] ?? '' }));
}

/** CKA_ID of one object changed from outside (pkcs11-tool --set-id), as a crash half way through the updates leaves it. */
function setId(kind: 'privkey' | 'pubkey', id: string, newId: string): void {
  hsm.pkcs11Tool(['--token-label', token.label, '--login', '--pin', token.pin, '--type', kind, '--id', id, '--set-id', newId]);
}

describe('findKeyPair (by CKA_LABEL)', () => {
  it('no pair with the label: null, and nothing on the card changes', async () => {
    const before = keysOnCard();
    expect(await service.findKeyPair(token.slotId, 'obnova-renewal-none')).toBeNull();
    expect(keysOnCard()).toEqual(before);
  });

  it('an EC pair found again: the same CKA_ID and public key generateKeyPair returned', async () => {
    const made = await service.generateKeyPair(token.slotId, { type: 'EC', curve: 'P-256', label: 'obnova-renewal-ec' });
    const found = await service.findKeyPair(token.slotId, 'obnova-renewal-ec');
    expect(found?.id).toBe(made.id);
    expect(Buffer.from(found!.publicKeySpki).equals(Buffer.from(made.publicKeySpki))).toBe(true);
  });

  it('EC halves left apart (public updated, private still on its provisional ID): both put back on SHA-1 of the point', async () => {
    const made = await service.generateKeyPair(token.slotId, { type: 'EC', curve: 'P-256', label: 'obnova-renewal-ec-apart' });
    const provisional = randomBytes(20).toString('hex');
    setId('privkey', made.id, provisional);
    const apart = keysOnCard().filter((k) => k.label === 'obnova-renewal-ec-apart');
    expect(apart.map((k) => [k.kind, k.id]).sort()).toEqual([['private', provisional], ['public', made.id]]);

    const found = await service.findKeyPair(token.slotId, 'obnova-renewal-ec-apart');
    const point = tokenKeyOfSpki(found!.publicKeySpki)!;
    expect(found?.id).toBe(Buffer.from(keyIdOf(point)).toString('hex'));
    expect(found?.id).toBe(made.id);
    expect(keysOnCard().filter((k) => k.label === 'obnova-renewal-ec-apart').map((k) => k.id)).toEqual([made.id, made.id]);
    // The repaired private half signs under that ID.
    const signature = await service.signer(token.slotId, found!.id, 'ECDSA-P256-SHA256').sign(new Uint8Array([1, 2, 3]));
    expect(signature.length).toBeGreaterThan(0);
  });

  it('RSA halves both still on the provisional ID (stopped before the updates): set to SHA-1 of the modulus', async () => {
    const made = await service.generateKeyPair(token.slotId, { type: 'RSA', size: 2048, label: 'obnova-renewal-rsa' });
    const provisional = randomBytes(20).toString('hex');
    setId('privkey', made.id, provisional);
    setId('pubkey', made.id, provisional);
    const found = await service.findKeyPair(token.slotId, 'obnova-renewal-rsa');
    const key = tokenKeyOfSpki(found!.publicKeySpki);
    expect(key?.type).toBe('rsa');
    const modulus = key?.type === 'rsa' ? Buffer.from(key.modulus).subarray(key.modulus[0] === 0 ? 1 : 0) : Buffer.alloc(0);
    expect(found?.id).toBe(createHash('sha1').update(modulus).digest('hex'));
    expect(found?.id).toBe(made.id);
    expect(keysOnCard().filter((k) => k.label === 'obnova-renewal-rsa').map((k) => k.id)).toEqual([made.id, made.id]);
  }, 60_000);

  it('two pairs under one label: the one whose key ID sorts first, every time; the other left alone', async () => {
    const a = await service.generateKeyPair(token.slotId, { type: 'EC', curve: 'P-256', label: 'obnova-renewal-twice' });
    const b = await service.generateKeyPair(token.slotId, { type: 'EC', curve: 'P-256', label: 'obnova-renewal-twice' });
    const first = [a.id, b.id].sort()[0];
    expect((await service.findKeyPair(token.slotId, 'obnova-renewal-twice'))?.id).toBe(first);
    expect((await service.findKeyPair(token.slotId, 'obnova-renewal-twice'))?.id).toBe(first);
    expect(keysOnCard().filter((k) => k.label === 'obnova-renewal-twice').map((k) => k.id).sort()).toEqual([a.id, a.id, b.id, b.id].sort());
  });

  it('without the login: TOKEN_NOT_LOGGED_IN (private keys cannot be searched)', async () => {
    await service.logout(token.slotId);
    await expect(service.findKeyPair(token.slotId, 'obnova-renewal-ec')).rejects.toMatchObject({ code: 'TOKEN_NOT_LOGGED_IN' });
    await service.login(token.slotId, token.pin);
  });
});
