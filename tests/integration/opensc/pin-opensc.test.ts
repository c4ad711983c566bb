/**
 * PIN and PUK for real on OpenSC: the card's own counters (IsoApplet emulator: PIN 3 tries, PUK 5) through
 * opensc-pkcs11.so, driven by `obnova pin` (the app's code). No token files are edited: three wrong PINs block
 * the card, the app says it is locked (OpenSC answers a blocked PIN with CKR_PIN_INCORRECT; only its flags
 * tell), the PUK unblocks it with C_SetPIN in a session not logged in (native-config's strategy for OpenSC,
 * opensc.conf's user_pin_unblock_style), and a PIN change works. Before a PIN was tried OpenSC's flags say
 * nothing, and the app says the tries left are unknown instead of "not locked". Checked with pkcs11-tool and
 * the card's counters.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { useOpenscApp } from './opensc-app.js';

const app = useOpenscApp([]);
const puk = '1234567890123456';

interface PinFailure {
  error: { code: string; details: { triesLeft: number | null; pinLocked?: boolean; pinFinalTry?: boolean } };
}

async function loginWorks(pin: string): Promise<boolean> {
  return app.world.tool('pkcs11-tool', ['--login', '--pin', pin, '-O']).then(() => true, () => false);
}

beforeAll(async () => {
  await app.world.initialise({ pin: '4711', puk, label: 'Ana Novak', serial: '0b0a0000000002' });
}, 60_000);

describe('PIN on OpenSC with a card that counts', () => {
  it('changes the PIN: the new one logs in with pkcs11-tool', async () => {
    const run = await app.obnova(['pin', 'change', '--slot', '0', '--pin-stdin'], '4711\n2580\n');
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain('The PIN was changed.');
    expect(run.stderr).toContain('unblocking: set-pin-unauthenticated');
    // OpenSC reports the PIN counter only after a wrong PIN: before one, the app says it does not know.
    expect(run.stderr).toContain('PIN tries left unknown (this middleware reports them only after a wrong PIN)');
    expect(await loginWorks('2580')).toBe(true);
    expect((await app.card.state()).tries).toEqual({ pin: 3, puk: 5 });
  });

  it('three wrong PINs block the card: incorrect, incorrect (last try), then locked; the right PIN is refused as locked', async () => {
    const runs = [];
    for (const wrong of ['0000', '0001', '0002']) runs.push(await app.obnova(['pin', 'change', '--slot', '0', '--pin-stdin', '--json'], `${wrong}\n1111\n`));
    const failures = runs.map((r) => JSON.parse(r.stdout) as PinFailure);
    expect(failures.map((f) => f.error.code)).toEqual(['TOKEN_PIN_INCORRECT', 'TOKEN_PIN_INCORRECT', 'TOKEN_PIN_LOCKED']);
    expect(failures[1]!.error.details).toMatchObject({ triesLeft: 1, pinFinalTry: true });
    expect(failures[2]!.error.details).toMatchObject({ triesLeft: 0, pinLocked: true });
    expect((await app.card.state()).tries.pin).toBe(0);
    const right = await app.obnova(['pin', 'change', '--slot', '0', '--pin-stdin'], '2580\n1111\n');
    expect(right.code).toBe(3);
    expect(right.stderr).toContain('[TOKEN_PIN_LOCKED]');
    // A new process: the card is blocked, but OpenSC's flags do not say so before this process tried a PIN.
    expect(right.stderr).toContain('PIN tries left unknown');
    expect(right.stderr).not.toContain('PIN not locked');
    expect(await loginWorks('2580')).toBe(false);
  });

  it('a wrong PUK is refused and costs a PUK try; the right PUK sets the new PIN and unblocks', async () => {
    const wrong = await app.obnova(['pin', 'unblock', '--slot', '0', '--pin-stdin', '--json'], '0000000000000000\n3690\n');
    expect(wrong.code).toBe(3);
    expect((JSON.parse(wrong.stdout) as PinFailure).error.code).toBe('TOKEN_PUK_INCORRECT');
    expect((await app.card.state()).tries).toEqual({ pin: 0, puk: 4 });
    const run = await app.obnova(['pin', 'unblock', '--slot', '0', '--pin-stdin', '--json'], `${puk}\n3690\n`);
    expect(run.code, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ action: 'unblock', done: true, after: { pin: { locked: false }, pinStateReported: false } });
    expect((await app.card.state()).tries).toEqual({ pin: 3, puk: 5 });
    expect(await loginWorks('3690')).toBe(true);
  });
});
