/**
 * "Why is my card not detected", on a real PC/SC stack without hardware: pcscd + vsmartcard's virtual
 * reader and card (see virtual-smartcard.ts). The card's ATR is matched against a cards.json made for the
 * test, and diagnostics must say which middleware the card needs and whether it is installed.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DiagnosticsReport } from '../../../src-shared/contract/index.js';
import { runDiagnostics } from '../../../src-main/diagnostics/run-diagnostics.js';
import { findSoftHsmModule } from '../../helpers/softhsm.js';
import { startVirtualSmartcard, type VirtualSmartcard } from './virtual-smartcard.js';

let work: string;
let card: VirtualSmartcard;
let atr: string;
const platformKey = `${process.platform}-${process.arch}`;

/** A native-config where the virtual card's ATR belongs to `middleware`; SafeNet is "not installed", SoftHSM is. */
function nativeConfig(cards: Array<{ atr: string; mask: string; name: string; middleware: string }>): string {
  const dir = mkdtempSync(join(work, 'nc-'));
  const modules = [
    { id: 'safenet-etoken', name: 'SafeNet eToken (SafeNet Authentication Client)', vendor: 'Thales', platforms: { [platformKey]: [join(dir, 'absent', 'libeTPkcs11.so')] } },
    { id: 'softhsm2', name: 'SoftHSM 2', vendor: 'OpenDNSSEC', platforms: { [platformKey]: [findSoftHsmModule()] }, testOnly: true },
  ];
  writeFileSync(join(dir, 'pkcs11-modules.json'), JSON.stringify({ modules }));
  writeFileSync(join(dir, 'cards.json'), JSON.stringify({ cards }));
  return dir;
}

function diagnose(nativeConfigDir: string, env: NodeJS.ProcessEnv = {}): Promise<DiagnosticsReport> {
  // SoftHSM without tokens: SOFTHSM2_CONF points at an empty token folder.
  const softhsmDir = join(work, 'softhsm');
  mkdirSync(join(softhsmDir, 'tokens'), { recursive: true });
  writeFileSync(join(softhsmDir, 'softhsm2.conf'), `directories.tokendir = ${join(softhsmDir, 'tokens')}\nobjectstore.backend = file\n`);
  process.env.SOFTHSM2_CONF = join(softhsmDir, 'softhsm2.conf');
  return runDiagnostics({ locale: 'en', appVersion: 'test', mode: 'web', serviceUrl: null, skipService: true, env: { PATH: process.env.PATH, OBNOVA_NATIVE_CONFIG_DIR: nativeConfigDir, ...env } });
}

const readers = (report: DiagnosticsReport) => report.checks.filter((c) => c.area === 'readers');

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'obnova-pcsc-'));
  card = await startVirtualSmartcard(work);
  await card.insertCard();
  // The ATR as OpenSC reads it, independently of Obnova's parsing.
  atr = execFileSync('opensc-tool', ['-r', '0', '-a'], { encoding: 'utf8' }).trim().toUpperCase();
}, 60_000);

afterAll(async () => {
  await card?.stop();
  rmSync(work, { recursive: true, force: true });
});

describe('why is my card not detected (pcscd + vsmartcard)', () => {
  it('lists both virtual readers, the card’s ATR in the first and nothing in the second', async () => {
    const report = await diagnose(nativeConfig([]));
    expect(report.readers).toMatchObject({ tool: 'opensc-tool', serviceAvailable: true });
    expect(report.readers.readers.map((r) => [r.name, r.atr])).toEqual([
      ['Virtual PCD 00 00', atr],
      ['Virtual PCD 00 01', null],
    ]);
    expect(atr).toMatch(/^3B(:[0-9A-F]{2})+$/);
    expect(readers(report).find((c) => c.subject === 'Virtual PCD 00 01')).toMatchObject({ status: 'info', verdict: 'READER_EMPTY' });
  });

  it('an unknown card: CARD_UNKNOWN with its ATR', async () => {
    const report = await diagnose(nativeConfig([]));
    const check = readers(report).find((c) => c.subject === 'Virtual PCD 00 00');
    expect(check).toMatchObject({ status: 'warning', verdict: 'CARD_UNKNOWN', details: { atr } });
    expect(check?.fix).toContain(`(ATR ${atr})`);
  });

  it('a card whose middleware is missing: CARD_MIDDLEWARE_MISSING, "Install SafeNet …"', async () => {
    const report = await diagnose(nativeConfig([{ atr, mask: atr.replace(/[0-9A-F]{2}/g, 'FF'), name: 'SafeNet eToken 5110', middleware: 'safenet-etoken' }]), {});
    const check = readers(report).find((c) => c.subject === 'Virtual PCD 00 00');
    expect(check).toMatchObject({ status: 'error', verdict: 'CARD_MIDDLEWARE_MISSING' });
    expect(check?.fix).toBe('The card in “Virtual PCD 00 00” is a SafeNet eToken 5110. Install SafeNet eToken (SafeNet Authentication Client), then start Obnova again.');
    expect(report.readers.readers[0]?.cards).toEqual([{ name: 'SafeNet eToken 5110', middleware: 'safenet-etoken', middlewareName: 'SafeNet eToken (SafeNet Authentication Client)', middlewareInstalled: false, example: false }]);
  });

  it('a card whose middleware is installed: CARD_KNOWN_INSTALLED; a masked ATR entry matches too', async () => {
    // Mask off the last two bytes (historical bytes vary between card versions).
    const bytes = atr.split(':');
    const mask = bytes.map((_, i) => (i >= bytes.length - 2 ? '00' : 'FF')).join(':');
    const fuzzy = bytes.map((b, i) => (i >= bytes.length - 2 ? '00' : b)).join(':');
    const report = await diagnose(nativeConfig([{ atr: fuzzy, mask, name: 'Test card family', middleware: 'softhsm2' }]));
    expect(readers(report).find((c) => c.subject === 'Virtual PCD 00 00')).toMatchObject({ status: 'ok', verdict: 'CARD_KNOWN_INSTALLED', details: { card: 'Test card family', middleware: 'SoftHSM 2' } });
  });

  it('after the card is taken out, both readers are empty; after pcscd stops, READERS_SERVICE_DOWN', async () => {
    await card.removeCard();
    const empty = await diagnose(nativeConfig([]));
    expect(empty.readers.readers.map((r) => r.atr)).toEqual([null, null]);
    await card.stop();
    const down = await diagnose(nativeConfig([]));
    expect(down.readers).toMatchObject({ serviceAvailable: false, readers: [] });
    const check = readers(down)[0];
    expect(check).toMatchObject({ status: 'error', verdict: 'READERS_SERVICE_DOWN', details: { command: 'sudo systemctl start pcscd.socket pcscd' } });
  });
});
