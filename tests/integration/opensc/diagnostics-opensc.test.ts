/**
 * Diagnostics on a real PC/SC stack with a card OpenSC drives: the world's own pcscd with the virtual reader,
 * the IsoApplet card's ATR matched to its middleware through cards.json (OpenSC, installed here), the card
 * seen through OpenSC's PKCS#11 module; then the card pulled (reader empty) and pcscd stopped (service down).
 */
import { cpSync, mkdtempSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DiagnosticsReport } from '../../../src-shared/contract/index.js';
import { runDiagnostics } from '../../../src-main/diagnostics/run-diagnostics.js';
import { findNativeConfigDir } from '../../../src-main/token/native-config.js';
import { createOpenscWorld, type OpenscCard, type OpenscWorld } from '../../helpers/opensc-world.js';

let world: OpenscWorld;
let card: OpenscCard;
let nativeConfigDir: string;

beforeAll(async () => {
  world = await createOpenscWorld();
  // The module list as shipped; cards.json knows the IsoApplet's ATR as an OpenSC card.
  nativeConfigDir = mkdtempSync(join(world.dir, 'native-config-'));
  cpSync(join(findNativeConfigDir(), 'pkcs11-modules.json'), join(nativeConfigDir, 'pkcs11-modules.json'));
  writeFileSync(join(nativeConfigDir, 'cards.json'), JSON.stringify({ cards: [{ atr: '3B:80:80:01:01', mask: 'FF:FF:FF:FF:FF', name: 'Java Card with IsoApplet', middleware: 'opensc' }] }));
  // opensc-tool and the module read the world's PC/SC socket and opensc.conf from this process's environment.
  world.enterThisProcess();
  card = await world.insertCard();
  await world.initialise({ pin: '4711', puk: '1234567890123456', label: 'Ana Novak', serial: '0b0a0000000004' });
}, 60_000);

afterAll(async () => {
  await world?.close();
});

const diagnose = (): Promise<DiagnosticsReport> =>
  runDiagnostics({ locale: 'en', appVersion: 'test', mode: 'web', serviceUrl: null, skipService: true, env: { ...world.env, OBNOVA_NATIVE_CONFIG_DIR: nativeConfigDir } });
const readerChecks = (report: DiagnosticsReport) => report.checks.filter((c) => c.area === 'readers');

describe('diagnostics with OpenSC, pcscd and the virtual IsoApplet card', () => {
  it('the reader, the card’s ATR, the middleware cards.json names for it (installed), and the token OpenSC shows', async () => {
    const report = await diagnose();
    expect(report.readers).toMatchObject({ tool: 'opensc-tool', serviceAvailable: true });
    expect(report.readers.readers.map((r) => [r.name, r.atr])).toEqual([['Virtual PCD 00 00', '3B:80:80:01:01'], ['Virtual PCD 00 01', null]]);
    expect(readerChecks(report).find((c) => c.subject === 'Virtual PCD 00 00')).toMatchObject({ status: 'ok', verdict: 'CARD_KNOWN_INSTALLED', details: { card: 'Java Card with IsoApplet', middleware: 'OpenSC' } });
    expect(JSON.stringify(report)).toContain('Ana Novak (User PIN)');
  });

  it('the card pulled: the reader is empty', async () => {
    await card.pull();
    const report = await diagnose();
    expect(report.readers.readers.map((r) => r.atr)).toEqual([null, null]);
    expect(readerChecks(report).find((c) => c.subject === 'Virtual PCD 00 00')).toMatchObject({ status: 'info', verdict: 'READER_EMPTY' });
  });

  it('pcscd stopped: READERS_SERVICE_DOWN with the command that starts it', async () => {
    await world.stopPcscd();
    const report = await diagnose();
    expect(report.readers).toMatchObject({ serviceAvailable: false, readers: [] });
    expect(readerChecks(report)[0]).toMatchObject({ status: 'error', verdict: 'READERS_SERVICE_DOWN' });
  });
});
