/**
 * `obnova pin change|unblock --pin-stdin|--pin-pad` on SoftHSM, run as a process with the secrets on standard
 * input, checked with pkcs11-tool. SoftHSM2 alone never locks a PIN and has no PIN pad, so the tokens sit
 * behind the card shim (tests/helpers/pkcs11-card-shim): three wrong PINs lock the card for real, and a
 * second token is in a "reader with a PIN pad" whose entries the test types into the shim's queue.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CardShim, createCardShim } from '../../helpers/pkcs11-card-shim/card-shim.js';
import { createSoftHsm, type SoftHsm, type SoftHsmToken } from '../../helpers/softhsm.js';

const cli = join(import.meta.dirname, '../../../src-main/cli.ts');
let hsm: SoftHsm;
let shim: CardShim;
let token: SoftHsmToken;
let padToken: SoftHsmToken;
let appData: string;
let module: string;

function obnova(args: string[], stdin = ''): { status: number; stdout: string; stderr: string } {
  const run = spawnSync(process.execPath, ['--import', 'tsx', cli, ...args], {
    input: stdin,
    encoding: 'utf8',
    timeout: 60_000,
    env: { ...shim.env, PATH: process.env.PATH, OBNOVA_APP_DATA: appData, OBNOVA_LOG_LEVEL: 'debug', LANG: 'en_GB.UTF-8' },
  });
  return { status: run.status ?? -1, stdout: run.stdout, stderr: run.stderr };
}

/** A login in another program (through the shim, so a wrong PIN costs a try as on a card). */
function loginWorks(pin: string, on = token): boolean {
  try {
    shim.pkcs11Tool(['--token-label', on.label, '--login', '--pin', pin, '--list-objects']);
    return true;
  } catch {
    return false;
  }
}

const secrets = ['11223344', '55667788', '99001122', '87654321', '24682468'];

beforeAll(() => {
  appData = mkdtempSync(join(tmpdir(), 'obnova-pin-'));
  hsm = createSoftHsm();
  token = hsm.createToken({ label: 'PIN card', pin: '11223344', soPin: '87654321' });
  padToken = hsm.createToken({ label: 'Pad card', pin: '31415926', soPin: '27182818' });
  shim = createCardShim(hsm, { pinPad: [padToken.serial] });
  module = shim.modulePath;
});

afterAll(() => {
  hsm?.cleanup();
  rmSync(appData, { recursive: true, force: true });
});

describe('obnova pin', () => {
  it('changes the PIN: the new one logs in with pkcs11-tool, the old one no longer does', () => {
    const run = obnova(['pin', 'change', '--slot', token.slotId, '--pin-stdin', '--module', module], '11223344\n55667788\n');
    expect(run.stderr).toMatch(/Card "PIN card" \(slot \d+\): PIN not locked; PIN 4–255 characters; unblocking: so-login-init-pin/);
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toContain('The PIN was changed.');
    expect(loginWorks('55667788')).toBe(true);
    expect(loginWorks('11223344')).toBe(false);
  });

  it('picks the card by --token-label, as certs, renew and export do; an unknown label, or several cards and no choice, say so', () => {
    const there = obnova(['pin', 'change', '--token-label', 'PIN card', '--pin-stdin', '--module', module], '55667788\n11223344\n');
    expect(there.stderr).toMatch(/Card "PIN card" \(slot \d+\)/);
    expect(there.status, there.stderr).toBe(0);
    const back = obnova(['pin', 'change', '--token-label', 'PIN card', '--pin-stdin', '--module', module], '11223344\n55667788\n');
    expect(back.status, back.stderr).toBe(0);
    expect(loginWorks('55667788')).toBe(true);

    const unknown = obnova(['pin', 'change', '--token-label', 'No such card', '--pin-stdin', '--module', module, '--json'], '55667788\n11223344\n');
    expect(JSON.parse(unknown.stdout)).toMatchObject({ error: { code: 'TOKEN_SLOT_NOT_FOUND' } });
    const unchosen = obnova(['pin', 'change', '--pin-stdin', '--module', module, '--json'], '55667788\n11223344\n');
    expect(JSON.parse(unchosen.stdout)).toMatchObject({ error: { code: 'INPUT_INVALID', message: expect.stringContaining('--token-label') } });
    const both = obnova(['pin', 'change', '--slot', token.slotId, '--token-label', 'PIN card', '--pin-stdin', '--module', module], '55667788\n11223344\n');
    expect(both.status).toBe(1);
    expect(loginWorks('55667788')).toBe(true);
  });

  it('a wrong current PIN: TOKEN_PIN_INCORRECT, exit 3, the PIN unchanged', () => {
    const run = obnova(['pin', 'change', '--slot', token.slotId, '--pin-stdin', '--module', module, '--json'], '99001122\n24682468\n');
    expect(run.status).toBe(3);
    expect(JSON.parse(run.stdout)).toMatchObject({ error: { code: 'TOKEN_PIN_INCORRECT', sentence: expect.stringContaining('The PIN is not correct') } });
    expect(loginWorks('55667788')).toBe(true);
  });

  it('a new PIN outside the token’s length rules: TOKEN_PIN_LEN_RANGE before the card is asked', () => {
    const run = obnova(['pin', 'change', '--slot', token.slotId, '--pin-stdin', '--module', module], '55667788\n12\n');
    expect(run.status).toBe(3);
    expect(run.stderr).toContain('[TOKEN_PIN_LEN_RANGE]');
    expect(loginWorks('55667788')).toBe(true);
  });

  it('three wrong current PINs lock the card: the third answers TOKEN_PIN_LOCKED, then even the right PIN is refused', () => {
    expect(loginWorks('55667788')).toBe(true); // all tries back
    const runs = ['99001122', '99001123', '99001124'].map((wrongPin) =>
      obnova(['pin', 'change', '--slot', token.slotId, '--pin-stdin', '--module', module, '--json'], `${wrongPin}\n24682468\n`),
    );
    expect(runs.map((r) => r.status)).toEqual([3, 3, 3]);
    expect(runs.map((r) => (JSON.parse(r.stdout) as { error: { code: string } }).error.code)).toEqual(['TOKEN_PIN_INCORRECT', 'TOKEN_PIN_INCORRECT', 'TOKEN_PIN_LOCKED']);
    expect(JSON.parse(runs[1]!.stdout)).toMatchObject({ error: { details: { triesLeft: 1, pinFinalTry: true } } });
    expect(JSON.parse(runs[2]!.stdout)).toMatchObject({ error: { details: { triesLeft: 0, pinLocked: true } } });
    const right = obnova(['pin', 'change', '--slot', token.slotId, '--pin-stdin', '--module', module], '55667788\n24682468\n');
    expect(right.stderr).toContain('PIN locked (unblock it with the PUK)');
    expect(right.stderr).toContain('[TOKEN_PIN_LOCKED]');
    expect(shim.pkcs11Tool(['-T'])).toMatch(/PIN card[\s\S]*user PIN locked/);
  });

  it('unblocks the locked PIN with the PUK (wrong PUK first): new PIN works, the lock is gone', () => {
    const wrong = obnova(['pin', 'unblock', '--slot', token.slotId, '--pin-stdin', '--module', module], '99001122\n24682468\n');
    expect(wrong.stderr).toContain('PIN locked (unblock it with the PUK)');
    expect(wrong.status).toBe(3);
    expect(wrong.stderr).toContain('[TOKEN_PUK_INCORRECT]');
    const run = obnova(['pin', 'unblock', '--slot', token.slotId, '--pin-stdin', '--module', module, '--json'], '87654321\n24682468\n');
    expect(run.status, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ action: 'unblock', done: true, after: { pin: { locked: false } } });
    expect(shim.pkcs11Tool(['-T'])).not.toMatch(/user PIN locked/);
    expect(loginWorks('24682468')).toBe(true);
  });

  it('--pin-pad: the holder types on the reader; Cancel there is CANCELLED (exit 3) and changes nothing', () => {
    shim.typeOnPad('CANCEL');
    const cancelled = obnova(['pin', 'change', '--slot', padToken.slotId, '--pin-pad', '--module', module, '--json']);
    expect(cancelled.status).toBe(3);
    expect(JSON.parse(cancelled.stdout)).toMatchObject({ error: { code: 'CANCELLED' } });
    expect(loginWorks(padToken.pin, padToken)).toBe(true);
    shim.typeOnPad(padToken.pin, '16180339');
    const run = obnova(['pin', 'change', '--slot', padToken.slotId, '--pin-pad', '--module', module]);
    expect(run.status, run.stderr).toBe(0);
    expect(run.stderr).toContain('PIN pad reader');
    expect(run.stderr).toContain('type the current PIN on the reader, then the new PIN twice');
    expect(run.stdout).toContain('The PIN was changed.');
    expect(loginWorks('16180339', padToken)).toBe(true);
  });

  it('--pin-pad unblock: wrong PINs typed on the pad lock the card, the PUK typed there unblocks it', () => {
    const codes = ['11110001', '11110002', '11110003'].map((wrongPin) => {
      shim.typeOnPad(wrongPin, '22220000');
      const run = obnova(['pin', 'change', '--slot', padToken.slotId, '--pin-pad', '--module', module, '--json']);
      return (JSON.parse(run.stdout) as { error: { code: string } }).error.code;
    });
    expect(codes).toEqual(['TOKEN_PIN_INCORRECT', 'TOKEN_PIN_INCORRECT', 'TOKEN_PIN_LOCKED']);
    shim.typeOnPad(padToken.soPin, '14142135');
    const run = obnova(['pin', 'unblock', '--slot', padToken.slotId, '--pin-pad', '--module', module, '--json']);
    expect(run.status, run.stderr).toBe(0);
    expect(run.stderr).toContain('type the PUK on the reader, then the new PIN twice');
    expect(JSON.parse(run.stdout)).toMatchObject({ action: 'unblock', done: true, after: { pin: { locked: false, protectedAuthenticationPath: true } } });
    expect(shim.padPending()).toEqual([]);
    expect(loginWorks('14142135', padToken)).toBe(true);
  });

  it('--pin-pad needs a reader with a pad, and goes without --pin-stdin', () => {
    const noPad = obnova(['pin', 'change', '--slot', token.slotId, '--pin-pad', '--module', module]);
    expect(noPad.status).toBe(1);
    expect(noPad.stderr).toContain('[INPUT_INVALID]');
    expect(obnova(['pin', 'change', '--slot', padToken.slotId, '--pin-pad', '--pin-stdin', '--module', module], 'a\nb\n').status).toBe(1);
  });

  it('refuses PINs anywhere but standard input, and needs a slot', () => {
    expect(obnova(['pin', 'change', '--slot', token.slotId, '--module', module]).status).toBe(1);
    expect(obnova(['pin', 'change', '--pin-stdin', '--module', module], 'a\nb\n').status).toBe(1);
    expect(obnova(['pin', 'rename', '--slot', token.slotId, '--pin-stdin']).status).toBe(1);
  });

  it('never prints a PIN or PUK, even with debug logs', () => {
    const runs = [
      obnova(['pin', 'change', '--slot', token.slotId, '--pin-stdin', '--module', module], '24682468\n11223344\n'),
      obnova(['pin', 'change', '--slot', token.slotId, '--pin-stdin', '--module', module], '99001122\n55667788\n'),
      obnova(['pin', 'unblock', '--slot', token.slotId, '--pin-stdin', '--module', module], '00000000\n55667788\n'),
    ];
    expect(runs.map((r) => r.status)).toEqual([0, 3, 3]);
    for (const run of runs) for (const secret of [...secrets, '00000000']) expect(`${run.stdout}${run.stderr}`).not.toContain(secret);
  });
});
