/**
 * `obnova pin change|unblock --pin-stdin` on SoftHSM, run as a process with the secrets on standard input,
 * checked with pkcs11-tool. SoftHSM2 never locks a PIN (no retry counter: wrong PINs only raise
 * "count low"), so the locked state is set in its token flags (softhsm-token-flags.ts) before unblocking.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSoftHsm, type SoftHsm, type SoftHsmToken } from '../../helpers/softhsm.js';
import { CKF_USER_PIN_LOCKED, setSoftHsmTokenFlags } from '../diagnostics/softhsm-token-flags.js';

const cli = join(import.meta.dirname, '../../../src-main/cli.ts');
let hsm: SoftHsm;
let token: SoftHsmToken;
let appData: string;

function obnova(args: string[], stdin = ''): { status: number; stdout: string; stderr: string } {
  const run = spawnSync(process.execPath, ['--import', 'tsx', cli, ...args], {
    input: stdin,
    encoding: 'utf8',
    timeout: 60_000,
    env: { PATH: process.env.PATH, SOFTHSM2_CONF: hsm.conf, OBNOVA_APP_DATA: appData, OBNOVA_LOG_LEVEL: 'debug', LANG: 'en_GB.UTF-8' },
  });
  return { status: run.status ?? -1, stdout: run.stdout, stderr: run.stderr };
}

function loginWorks(pin: string): boolean {
  try {
    hsm.pkcs11Tool(['--token-label', token.label, '--login', '--pin', pin, '--list-objects']);
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
});

afterAll(() => {
  hsm?.cleanup();
  rmSync(appData, { recursive: true, force: true });
});

describe('obnova pin', () => {
  it('changes the PIN: the new one logs in with pkcs11-tool, the old one no longer does', () => {
    const run = obnova(['pin', 'change', '--slot', token.slotId, '--pin-stdin', '--module', hsm.modulePath], '11223344\n55667788\n');
    expect(run.stderr).toMatch(/Card "PIN card" \(slot \d+\): PIN not locked; PIN 4–255 characters; unblocking: so-login-init-pin/);
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toContain('The PIN was changed.');
    expect(loginWorks('55667788')).toBe(true);
    expect(loginWorks('11223344')).toBe(false);
  });

  it('a wrong current PIN: TOKEN_PIN_INCORRECT, exit 3, the PIN unchanged', () => {
    const run = obnova(['pin', 'change', '--slot', token.slotId, '--pin-stdin', '--module', hsm.modulePath, '--json'], '99001122\n24682468\n');
    expect(run.status).toBe(3);
    expect(JSON.parse(run.stdout)).toMatchObject({ error: { code: 'TOKEN_PIN_INCORRECT', sentence: expect.stringContaining('The PIN is not correct') } });
    expect(loginWorks('55667788')).toBe(true);
  });

  it('a new PIN outside the token’s length rules: TOKEN_PIN_LEN_RANGE before the card is asked', () => {
    const run = obnova(['pin', 'change', '--slot', token.slotId, '--pin-stdin', '--module', hsm.modulePath], '55667788\n12\n');
    expect(run.status).toBe(3);
    expect(run.stderr).toContain('[TOKEN_PIN_LEN_RANGE]');
    expect(loginWorks('55667788')).toBe(true);
  });

  it('unblocks a locked PIN with the PUK (wrong PUK first): new PIN works, the lock is gone', () => {
    setSoftHsmTokenFlags(hsm.dir, token.serial, CKF_USER_PIN_LOCKED);
    expect(hsm.pkcs11Tool(['-T'])).toMatch(/PIN card[\s\S]*user PIN locked/);
    const wrong = obnova(['pin', 'unblock', '--slot', token.slotId, '--pin-stdin', '--module', hsm.modulePath], '99001122\n24682468\n');
    expect(wrong.stderr).toContain('PIN locked (unblock it with the PUK)');
    expect(wrong.status).toBe(3);
    expect(wrong.stderr).toContain('[TOKEN_PUK_INCORRECT]');
    const run = obnova(['pin', 'unblock', '--slot', token.slotId, '--pin-stdin', '--module', hsm.modulePath, '--json'], '87654321\n24682468\n');
    expect(run.status, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ action: 'unblock', done: true, after: { pin: { locked: false } } });
    expect(hsm.pkcs11Tool(['-T'])).not.toMatch(/user PIN locked/);
    expect(loginWorks('24682468')).toBe(true);
  });

  it('refuses PINs anywhere but standard input, and needs a slot', () => {
    expect(obnova(['pin', 'change', '--slot', token.slotId, '--module', hsm.modulePath]).status).toBe(1);
    expect(obnova(['pin', 'change', '--pin-stdin', '--module', hsm.modulePath], 'a\nb\n').status).toBe(1);
    expect(obnova(['pin', 'rename', '--slot', token.slotId, '--pin-stdin']).status).toBe(1);
  });

  it('never prints a PIN or PUK, even with debug logs', () => {
    const runs = [
      obnova(['pin', 'change', '--slot', token.slotId, '--pin-stdin', '--module', hsm.modulePath], '24682468\n11223344\n'),
      obnova(['pin', 'change', '--slot', token.slotId, '--pin-stdin', '--module', hsm.modulePath], '99001122\n55667788\n'),
      obnova(['pin', 'unblock', '--slot', token.slotId, '--pin-stdin', '--module', hsm.modulePath], '00000000\n55667788\n'),
    ];
    expect(runs.map((r) => r.status)).toEqual([0, 3, 3]);
    for (const run of runs) for (const secret of [...secrets, '00000000']) expect(`${run.stdout}${run.stderr}`).not.toContain(secret);
  });
});
