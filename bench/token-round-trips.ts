/**
 * PKCS#11 calls to list every certificate with its key linkage, counted by OpenSC's pkcs11-spy on one token
 * with 10 certificates and 10 key pairs: Obnova's listCertificates (load to finalize) against
 * `pkcs11-tool -O` in the same run, in both card worlds:
 * - softhsm: SoftHSM2 (EC P-256 keys);
 * - opensc: OpenSC's opensc-pkcs11.so over PC/SC to the IsoApplet emulator (EC P-256 keys made on the card; PKCS#15 directory files of 2 KiB, since the stock 512 bytes hold ~7 pairs;
 *   tests/helpers/opensc-world.ts), where every call is APDUs — the wall time of the listing is reported too.
 * Target (issue 19): ≤ 0.15× the calls of pkcs11-tool -O.
 *   npx tsx bench/token-round-trips.ts [--certificates 10] [--world softhsm|opensc|both]
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { createTokenService } from '../src-main/token/token-service.js';
import { createOpenscWorld } from '../tests/helpers/opensc-world.js';
import { addKeyAndCertificate, createSoftHsm, createTestCa, type SoftHsm, type SoftHsmToken } from '../tests/helpers/softhsm.js';

const spyPath = '/usr/lib/x86_64-linux-gnu/pkcs11/pkcs11-spy.so';
const target = 0.15;
const { values } = parseArgs({ options: { certificates: { type: 'string', default: '10' }, world: { type: 'string', default: 'both' } } });
const certificates = Number(values.certificates);

interface World {
  name: string;
  modulePath: string;
  env: NodeJS.ProcessEnv;
  dir: string;
  tokenLabel: string;
}

const count = (file: string): Map<string, number> => {
  const calls = new Map<string, number>();
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const name = /^\d+: (C_\w+)/.exec(line)?.[1];
    if (name) calls.set(name, (calls.get(name) ?? 0) + 1);
  }
  return calls;
};
const total = (calls: Map<string, number>): number => [...calls.values()].reduce((a, b) => a + b, 0);

/** Counts both listings in `world`; returns the ratio. */
async function measure(world: World): Promise<number> {
  const obnovaLog = join(world.dir, 'spy-obnova.log');
  const toolLog = join(world.dir, 'spy-tool.log');
  // pkcs11-spy reads PKCS11SPY/PKCS11SPY_OUTPUT when it is loaded, i.e. at the service's first call.
  Object.assign(process.env, world.env, { PKCS11SPY: world.modulePath, PKCS11SPY_OUTPUT: obnovaLog });
  const started = performance.now();
  const service = createTokenService({ module: { path: spyPath, source: 'argument', name: null } });
  const list = await service.listCertificates({ tokenLabel: world.tokenLabel });
  await service.close();
  const wallMs = performance.now() - started;
  if (list.certificates.length !== certificates || !list.certificates.every((c) => c.readable && c.hasPrivateKey)) throw new Error(`${world.name}: listing is incomplete`);

  writeFileSync(toolLog, '');
  const toolStarted = performance.now();
  execFileSync('pkcs11-tool', ['--module', spyPath, '--token-label', world.tokenLabel, '-O'], {
    env: { ...process.env, ...world.env, PKCS11SPY: world.modulePath, PKCS11SPY_OUTPUT: toolLog },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const toolMs = performance.now() - toolStarted;

  const obnova = count(obnovaLog);
  const tool = count(toolLog);
  const ratio = total(obnova) / total(tool);
  console.log(`${world.name}: token with ${certificates} certificates + ${certificates} key pairs, calls from load to finalize:`);
  console.log(`  Obnova listCertificates: ${total(obnova)} calls, ${wallMs.toFixed(0)} ms  ${JSON.stringify(Object.fromEntries(obnova))}`);
  console.log(`  pkcs11-tool -O:          ${total(tool)} calls, ${toolMs.toFixed(0)} ms (process included)  ${JSON.stringify(Object.fromEntries(tool))}`);
  console.log(`  ratio ${ratio.toFixed(2)}× (target ≤ ${target}×) ${ratio <= target ? 'PASS' : 'FAIL'}`);
  return ratio;
}

/** Fills a token through pkcs11-tool with `certificates` EC P-256 key pairs and certificates from a test CA. */
async function fill(tool: (args: string[]) => string, token: SoftHsmToken): Promise<void> {
  const ca = await createTestCa();
  const asSoftHsm = { pkcs11Tool: tool } as unknown as SoftHsm;
  for (let i = 0; i < certificates; i++) {
    await addKeyAndCertificate(asSoftHsm, token, { id: (0x10 + i).toString(16), label: `cert ${i}`, subject: `CN=Holder ${i}`, ca, keyType: 'EC:prime256v1' });
  }
}

const ratios: number[] = [];
if (values.world !== 'opensc') {
  const hsm = createSoftHsm();
  try {
    const token = hsm.createToken({ label: 'Bench certificates' });
    await fill((args) => hsm.pkcs11Tool(args), token);
    ratios.push(await measure({ name: 'SoftHSM2', modulePath: hsm.modulePath, env: hsm.env, dir: hsm.dir, tokenLabel: token.label }));
  } finally {
    hsm.cleanup();
  }
}
if (values.world !== 'softhsm') {
  const world = await createOpenscWorld({ directoryFileSize: 2048 });
  try {
    await world.insertCard();
    await world.initialise({ pin: '4711', puk: '1234567890123456', label: 'Bench', serial: '0b0a00000000be' });
    const token = { label: 'Bench (User PIN)', pin: '4711', soPin: '', slotId: '0', serial: '' };
    const tool = (args: string[]) => execFileSync('pkcs11-tool', ['--module', world.modulePath, ...args], { env: world.env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    await fill(tool, token);
    ratios.push(await measure({ name: 'OpenSC + IsoApplet emulator', modulePath: world.modulePath, env: world.env, dir: world.dir, tokenLabel: token.label }));
  } finally {
    await world.close();
  }
}
process.exitCode = ratios.every((r) => r <= target) ? 0 : 1;
