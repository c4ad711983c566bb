/**
 * The OpenSC card world itself (tests/helpers/opensc-world.ts): OpenSC's own tools see our IsoApplet
 * emulator as a "Javacard with IsoApplet" behind a private pcscd, pkcs15-init initialises it, keys made
 * on it are visible as OpenSC shows them (private keys only after login), a pulled card is gone and the
 * same card put back still holds its objects, and two worlds at once do not see each other.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOpenscWorld, type OpenscCard, type OpenscWorld } from '../../helpers/opensc-world.js';

const pin = '4711';
const puk = '1234567890123456';
let world: OpenscWorld;
let card: OpenscCard & { image: string };

beforeAll(async () => {
  world = await createOpenscWorld();
  card = await world.insertCard();
  await world.initialise({ pin, puk, label: 'Ana Novak' });
}, 60_000);

afterAll(async () => {
  await world?.close();
});

describe('the OpenSC world: pcscd + vpcd + IsoApplet emulator', () => {
  it('OpenSC reads the ATR and picks its isoApplet driver', async () => {
    expect((await world.tool('opensc-tool', ['-r', '0', '-a'])).trim()).toBe('3b:80:80:01:01');
    expect(await world.tool('opensc-tool', ['-r', '0', '-n'])).toContain('Javacard with IsoApplet');
  });

  it('pkcs11-tool -L: the initialised token in the first virtual reader, PIN initialised, 4..16 digits; the second reader empty', async () => {
    const listing = await world.tool('pkcs11-tool', ['-L']);
    expect(listing).toMatch(/Slot 0 \(0x0\): Virtual PCD 00 00\n\s+token label\s+: Ana Novak \(User PIN\)/);
    expect(listing).toMatch(/token flags\s+: login required, rng, token initialized, PIN initialized/);
    expect(listing).toMatch(/pin min\/max\s+: 4\/16/);
    expect(listing).toMatch(/Slot 1 \(0x4\): Virtual PCD 00 01\n\s+\(empty\)/);
  });

  it('a key pair made on the card: public key visible without login, the private key only after it; the card counts the key', async () => {
    await world.tool('pkcs11-tool', ['--login', '--pin', pin, '--keypairgen', '--key-type', 'rsa:2048', '--label', 'first']);
    const anonymous = await world.tool('pkcs11-tool', ['-O']);
    expect(anonymous).toMatch(/Public Key Object; RSA 2048 bits\n\s+label:\s+first\n\s+ID:\s+45/);
    expect(anonymous).not.toContain('Private Key Object');
    const loggedIn = await world.tool('pkcs11-tool', ['--login', '--pin', pin, '-O']);
    expect(loggedIn).toMatch(/Private Key Object; RSA\s*\n\s+label:\s+first\n\s+ID:\s+45/);
    expect((await card.state()).keyCount).toBe(1);
  });

  it('the card signs with its key (pkcs11-tool --sign, SHA256-RSA-PKCS) and openssl verifies with the public key read off it', async () => {
    const { writeFileSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { execFileSync } = await import('node:child_process');
    const data = join(world.dir, 'data.txt');
    writeFileSync(data, 'a renewal order');
    await world.tool('pkcs11-tool', ['--login', '--pin', pin, '--sign', '--id', '45', '--mechanism', 'SHA256-RSA-PKCS', '--input-file', data, '--output-file', join(world.dir, 'sig')]);
    await world.tool('pkcs11-tool', ['--read-object', '--type', 'pubkey', '--id', '45', '--output-file', join(world.dir, 'pub.der')]);
    const verified = execFileSync('openssl', ['dgst', '-sha256', '-verify', join(world.dir, 'pub.der'), '-keyform', 'DER', '-signature', join(world.dir, 'sig'), data], { encoding: 'utf8' });
    expect(verified.trim()).toBe('Verified OK');
  });

  it('pulled, the reader is empty; the same card put back still holds its key', async () => {
    await card.pull();
    expect(await world.tool('pkcs11-tool', ['-L'])).toMatch(/Slot 0 \(0x0\): Virtual PCD 00 00\n\s+\(empty\)/);
    card = await world.insertCard({ image: card.image });
    expect(await world.tool('pkcs11-tool', ['-O'])).toMatch(/Public Key Object; RSA 2048 bits\n\s+label:\s+first/);
  });

  it('a second world at the same time has its own pcscd and readers, and sees none of this card', async () => {
    const other = await createOpenscWorld();
    try {
      expect(other.env.PCSCLITE_CSOCK_NAME).not.toBe(world.env.PCSCLITE_CSOCK_NAME);
      expect(await other.tool('opensc-tool', ['-l'])).toMatch(/^0\s+No\s+Virtual PCD 00 00/m);
      expect(await world.tool('opensc-tool', ['-l'])).toMatch(/^0\s+Yes\s+Virtual PCD 00 00/m);
    } finally {
      await other.close();
    }
  });
});
