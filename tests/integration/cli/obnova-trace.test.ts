/**
 * `--trace FILE` on a command other than diagnose: `obnova pin change --pin-stdin --trace FILE` run as a
 * process on SoftHSM writes the PIN change's calls (C_SetPIN with its result) and neither PIN.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readTrace } from '../../../src-main/diagnostics/pkcs11-trace.js';
import { createSoftHsm, type SoftHsm, type SoftHsmToken } from '../../helpers/softhsm.js';

const cli = join(import.meta.dirname, '../../../src-main/cli.ts');
let hsm: SoftHsm;
let token: SoftHsmToken;
let work: string;

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'obnova-cli-trace-'));
  hsm = createSoftHsm();
  token = hsm.createToken({ label: 'Traced PIN card', pin: 'OldPin-1357', soPin: 'Puk-24682468' });
});

afterAll(() => {
  hsm?.cleanup();
  rmSync(work, { recursive: true, force: true });
});

describe('obnova … --trace FILE', () => {
  it('pin change: the trace has C_SetPIN with CKR_OK, the stderr line counts the calls, neither PIN is in the file', () => {
    const tracePath = join(work, 'pin-trace.jsonl');
    const run = spawnSync(process.execPath, ['--import', 'tsx', cli, 'pin', 'change', '--slot', token.slotId, '--pin-stdin', '--module', hsm.modulePath, '--trace', tracePath], {
      input: 'OldPin-1357\nNewPin-8642\n',
      encoding: 'utf8',
      timeout: 60_000,
      env: { PATH: process.env.PATH, SOFTHSM2_CONF: hsm.conf, OBNOVA_APP_DATA: join(work, 'appdata'), LANG: 'en_GB.UTF-8' },
    });
    expect(run.status).toBe(0);
    const entries = readTrace(tracePath);
    expect(run.stderr).toContain(`obnova: PKCS#11 trace of ${entries.length} calls written to ${tracePath}`);
    expect(entries.filter((e) => e.fn === 'C_SetPIN').map((e) => e.rv)).toEqual(['CKR_OK']);
    expect(entries.at(-1)).toMatchObject({ fn: 'C_Finalize', rv: 'CKR_OK', module: hsm.modulePath });
    expect(readFileSync(tracePath, 'utf8')).not.toMatch(/OldPin|NewPin|Puk-/);
    // The change really happened (the trace is not all that ran).
    expect(() => hsm.pkcs11Tool(['--token-label', token.label, '--login', '--pin', 'NewPin-8642', '--list-objects'])).not.toThrow();
  });
});
