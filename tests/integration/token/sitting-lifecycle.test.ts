/**
 * How a sitting ends: idle timeout, the card pulled out while the app watches; and keys that want the PIN
 * before every signature (CKA_ALWAYS_AUTHENTICATE → C_Login(CKU_CONTEXT_SPECIFIC) after C_SignInit).
 */
import { createPublicKey, verify } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createTokenService } from '../../../src-main/token/token-service.js';
import { addAlwaysAuthenticateKeyPair, createSoftHsm } from '../../helpers/softhsm.js';
import { codeOf } from '../../helpers/error-code.js';

const hsm = createSoftHsm();
const service = createTokenService({ module: { path: hsm.modulePath, source: 'probe', name: 'SoftHSM 2', tokenRescan: 'reinitialize' }, idleTimeoutMs: 200 });
afterAll(async () => {
  await service.close();
  hsm.cleanup();
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('the end of a sitting', () => {
  it('logs out after the idle timeout, not while the card is in use', async () => {
    const token = hsm.createToken({ label: 'Idle' });
    await service.login(token.slotId, token.pin);
    for (let i = 0; i < 6; i++) {
      await sleep(60);
      await service.mechanisms(token.slotId);
    }
    expect(await service.isLoggedIn(token.slotId)).toBe(true);
    await sleep(400);
    expect(await service.isLoggedIn(token.slotId)).toBe(false);
  });

  it('asks for the PIN before every signature with a CKA_ALWAYS_AUTHENTICATE key', async () => {
    const token = hsm.createToken({ label: 'Always' });
    addAlwaysAuthenticateKeyPair(hsm, token, { id: 'a1', label: 'qualified signature key' });
    await service.login(token.slotId, token.pin);
    expect(await codeOf(service.signer(token.slotId, 'a1', 'ECDSA-P256-SHA256').sign(new Uint8Array([1])))).toBe('TOKEN_NOT_LOGGED_IN');
    let asked = 0;
    const signer = service.signer(token.slotId, 'a1', 'ECDSA-P256-SHA256', {
      requestPin: async () => {
        asked++;
        return token.pin;
      },
    });
    const data = new Uint8Array([1, 2, 3]);
    const first = await signer.sign(data);
    await signer.sign(data);
    expect(asked).toBe(2);
    const spkiFile = join(hsm.dir, 'a1.pub');
    hsm.pkcs11Tool(['--token-label', token.label, '--read-object', '--type', 'pubkey', '--id', 'a1', '--output-file', spkiFile]);
    const publicKey = createPublicKey({ key: readFileSync(spkiFile), format: 'der', type: 'spki' });
    expect(verify('sha256', data, { key: publicKey, dsaEncoding: 'der' }, Buffer.from(first))).toBe(true);
    await service.logout(token.slotId);
  });

  it('a watched card pulled out ends its sitting; the watcher reports it and the list no longer shows it', async () => {
    const token = hsm.createToken({ label: 'Pulled' });
    await service.login(token.slotId, token.pin);
    let changes = 0;
    const stop = service.watch(() => changes++, 30);
    await sleep(100);
    expect(changes).toBe(0);
    expect(await service.isLoggedIn(token.slotId)).toBe(true);
    const before = new Set((await service.listTokens()).tokens.map((t) => t.label));
    expect(before.has('Pulled')).toBe(true);
    hsm.deleteToken('Pulled');
    const started = Date.now();
    while (changes === 0 && Date.now() - started < 3000) await sleep(20);
    stop();
    expect(changes).toBeGreaterThan(0);
    expect(await service.isLoggedIn(token.slotId)).toBe(false);
    expect((await service.listTokens()).tokens.map((t) => t.label)).not.toContain('Pulled');
  });
});
