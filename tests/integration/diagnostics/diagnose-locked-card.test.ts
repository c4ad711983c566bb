/**
 * `obnova diagnose --json` on cards locked the way holders lock them — wrong PINs, then wrong PUKs — on
 * SoftHSM tokens behind the card shim (tests/helpers/pkcs11-card-shim), which counts tries as a card does.
 * (diagnose-cli.test.ts covers the same verdicts from lock flags written into SoftHSM's token file.)
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DiagnosticCheck, DiagnosticsReport } from '../../../src-shared/contract/index.js';
import { runCli } from '../../../src-main/cli/run-cli.js';
import { type CardShim, createCardShim } from '../../helpers/pkcs11-card-shim/card-shim.js';
import { createSoftHsm, type SoftHsm, type SoftHsmToken } from '../../helpers/softhsm.js';

let hsm: SoftHsm;
let shim: CardShim;
let work: string;
let worn: SoftHsmToken;

async function cli(args: string[], stdin = ''): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const env = { PATH: process.env.PATH, OBNOVA_APP_DATA: mkdtempSync(join(work, 'appdata-')), OBNOVA_NATIVE_CONFIG_DIR: shim.nativeConfigDir };
  const code = await runCli([...args, '--lang', 'en', '--module', shim.modulePath], { out: (t) => out.push(t), err: (t) => err.push(t), env, stdin: () => Promise.resolve(stdin) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

async function tokenCheck(label: string): Promise<{ check: DiagnosticCheck | undefined; report: DiagnosticsReport; code: number }> {
  const { code, out } = await cli(['diagnose', '--json', '--offline']);
  const report = JSON.parse(out) as DiagnosticsReport;
  return { code, report, check: report.checks.find((c) => c.area === 'tokens' && c.details.label === label) };
}

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'obnova-diagnose-locked-'));
  hsm = createSoftHsm();
  worn = hsm.createToken({ label: 'Worn card', pin: '31313131', soPin: '42424242' });
  shim = createCardShim(hsm, { pukTries: 2 });
});

afterAll(() => {
  hsm?.cleanup();
  rmSync(work, { recursive: true, force: true });
});

describe('obnova diagnose on a card locked by wrong PINs', () => {
  it('a healthy card first: TOKEN_OK', async () => {
    expect((await tokenCheck('Worn card')).check).toMatchObject({ status: 'ok', verdict: 'TOKEN_OK' });
  });

  it('after three wrong PINs (in other programs): TOKEN_PIN_LOCKED, "unblock it with your PUK"', async () => {
    shim.lockWithWrongPins(worn);
    const { code, check, report } = await tokenCheck('Worn card');
    expect(code).toBe(4);
    expect(check).toMatchObject({ status: 'error', verdict: 'TOKEN_PIN_LOCKED' });
    expect(check?.fix).toBe('The PIN of card “Worn card” is locked. Unblock it with your PUK code, then choose a new PIN.');
    expect(report.tokens.find((t) => t.label === 'Worn card')?.pin).toMatchObject({ locked: true, soLocked: false });
  });

  it('after the unblock with the PUK (obnova pin unblock): TOKEN_OK again', async () => {
    const unblock = await cli(['pin', 'unblock', '--slot', worn.slotId, '--pin-stdin'], '42424242\n53535353\n');
    expect(unblock.code, unblock.err).toBe(0);
    expect((await tokenCheck('Worn card')).check).toMatchObject({ status: 'ok', verdict: 'TOKEN_OK' });
  });

  it('PIN locked again and the PUK locked by wrong PUKs too: TOKEN_PUK_LOCKED (a new card is needed)', async () => {
    shim.lockWithWrongPins(worn);
    const first = await cli(['pin', 'unblock', '--slot', worn.slotId, '--pin-stdin'], '10101010\n53535353\n');
    const second = await cli(['pin', 'unblock', '--slot', worn.slotId, '--pin-stdin', '--json'], '20202020\n53535353\n');
    expect(first.err).toContain('[TOKEN_PUK_INCORRECT]');
    expect(JSON.parse(second.out)).toMatchObject({ error: { code: 'TOKEN_PUK_LOCKED' } });
    const { check, report } = await tokenCheck('Worn card');
    expect(check).toMatchObject({ status: 'error', verdict: 'TOKEN_PUK_LOCKED' });
    expect(report.tokens.find((t) => t.label === 'Worn card')?.pin).toMatchObject({ locked: true, soLocked: true });
    // The right PUK no longer helps: the card says so without checking it.
    const right = await cli(['pin', 'unblock', '--slot', worn.slotId, '--pin-stdin', '--json'], '42424242\n53535353\n');
    expect(JSON.parse(right.out)).toMatchObject({ error: { code: 'TOKEN_PUK_LOCKED' } });
  });
});
