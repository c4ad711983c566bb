/**
 * A card that goes away in the middle of work: the module's sessions closed under us (C_CloseAllSessions
 * from another binding of the same library), or the SoftHSM token's files deleted. The call fails with a
 * typed TOKEN_REMOVED, nothing crashes, queued work is cancelled, and the next card works.
 */
import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import pkcs11js from 'pkcs11js';
import { afterAll, describe, expect, it } from 'vitest';
import { slotIdOf } from '../../../src-main/token/slot.js';
import { createTokenService } from '../../../src-main/token/token-service.js';
import { createSoftHsm, createTestCa, issueCertificate } from '../../helpers/softhsm.js';
import { codeOf } from '../../helpers/error-code.js';

const hsm = createSoftHsm();
const service = createTokenService({ module: { path: hsm.modulePath, source: 'probe', name: 'SoftHSM 2', tokenRescan: 'reinitialize' } });
afterAll(async () => {
  await service.close();
  hsm.cleanup();
});

/** C_CloseAllSessions on the slot through a second binding of the same (already initialized) library. */
function closeAllSessions(slotId: string): void {
  const lib = new pkcs11js.PKCS11();
  lib.load(hsm.modulePath);
  try {
    lib.C_Initialize({ flags: pkcs11js.CKF_OS_LOCKING_OK });
  } catch {
    // CKR_CRYPTOKI_ALREADY_INITIALIZED: the service initialized it; this binding shares that state.
  }
  const slot = lib.C_GetSlotList(true).find((h) => slotIdOf(h) === slotId);
  if (!slot) throw new Error('slot not found');
  lib.C_CloseAllSessions(slot);
}

function deleteTokenFiles(): void {
  const dir = join(hsm.dir, 'tokens');
  for (const entry of readdirSync(dir)) rmSync(join(dir, entry), { recursive: true, force: true });
}

describe('card removed mid-operation', () => {
  it('sessions closed under a key generation: TOKEN_REMOVED, queued work cancelled, sitting ended', async () => {
    const token = hsm.createToken({ label: 'Closed' });
    await service.login(token.slotId, token.pin);
    const generation = service.generateKeyPair(token.slotId, { type: 'RSA', size: 3072, label: 'interrupted' });
    const queued = service.signer(token.slotId, '00', 'RSASSA-PKCS1-v1_5-SHA256').sign(new Uint8Array(1));
    setTimeout(() => closeAllSessions(token.slotId), 20);
    expect(await codeOf(generation)).toBe('TOKEN_REMOVED');
    expect(await codeOf(queued)).toBe('TOKEN_REMOVED');
    expect(await service.isLoggedIn(token.slotId)).toBe(false);
    // The card is still there: a new login starts a new sitting.
    await service.login(token.slotId, token.pin);
    expect((await service.generateKeyPair(token.slotId, { type: 'EC', curve: 'P-256', label: 'after' })).id).toMatch(/^[0-9a-f]{40}$/);
    // SoftHSM shows tokens made since C_Initialize only after a reinitialize, which waits until no sitting is open.
    await service.logout(token.slotId);
  });

  it('sessions closed before a certificate write: TOKEN_REMOVED', async () => {
    const token = hsm.createToken({ label: 'Write' });
    await service.login(token.slotId, token.pin);
    const key = await service.generateKeyPair(token.slotId, { type: 'EC', curve: 'P-256', label: 'w' });
    const { der } = await issueCertificate({ publicKeySpki: key.publicKeySpki, subject: 'CN=W', ca: await createTestCa() });
    closeAllSessions(token.slotId);
    expect(await codeOf(service.writeCertificate(token.slotId, der, { label: 'w' }))).toBe('TOKEN_REMOVED');
  });

  it('token files deleted under a key generation and a write: TOKEN_REMOVED, no crash, the next inserted token works', async () => {
    const token = hsm.createToken({ label: 'Deleted' });
    await service.login(token.slotId, token.pin);
    const key = await service.generateKeyPair(token.slotId, { type: 'EC', curve: 'P-256', label: 'd' });
    const { der } = await issueCertificate({ publicKeySpki: key.publicKeySpki, subject: 'CN=D', ca: await createTestCa() });
    const generation = service.generateKeyPair(token.slotId, { type: 'RSA', size: 3072, label: 'gone' });
    const write = service.writeCertificate(token.slotId, der, { label: 'd' });
    setTimeout(deleteTokenFiles, 20);
    const codes = [await codeOf(generation), await codeOf(write)];
    expect(codes).toEqual(['TOKEN_REMOVED', 'TOKEN_REMOVED']);

    const next = hsm.createToken({ label: 'Next' });
    expect((await service.listTokens()).tokens.map((t) => t.label)).toEqual(['Next']);
    await service.login(next.slotId, next.pin);
    expect((await service.generateKeyPair(next.slotId, { type: 'EC', curve: 'P-256', label: 'n' })).id).toMatch(/^[0-9a-f]{40}$/);
  });
});
