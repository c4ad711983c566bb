/**
 * PKCS#11 calls to list every certificate with its key linkage, counted by OpenSC's pkcs11-spy on one
 * SoftHSM token with 10 certificates and 10 key pairs: Obnova's listCertificates (load to finalize) against
 * `pkcs11-tool -O` in the same run. Target: ≤ 0.5× the calls.
 *   npx tsx bench/token-round-trips.ts [--certificates 10]
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { createTokenService } from '../src-main/token/token-service.js';
import { addKeyAndCertificate, createSoftHsm, createTestCa } from '../tests/helpers/softhsm.js';

const spyPath = '/usr/lib/x86_64-linux-gnu/pkcs11/pkcs11-spy.so';
const { values } = parseArgs({ options: { certificates: { type: 'string', default: '10' } } });
const certificates = Number(values.certificates);

const hsm = createSoftHsm();
try {
  const ca = await createTestCa();
  const token = hsm.createToken({ label: 'Bench certificates' });
  for (let i = 0; i < certificates; i++) {
    await addKeyAndCertificate(hsm, token, { id: (0x10 + i).toString(16), label: `cert ${i}`, subject: `CN=Holder ${i}`, ca, keyType: 'EC:prime256v1' });
  }
  const obnovaLog = join(hsm.dir, 'spy-obnova.log');
  const toolLog = join(hsm.dir, 'spy-tool.log');
  const count = (file: string): Map<string, number> => {
    const calls = new Map<string, number>();
    for (const line of readFileSync(file, 'utf8').split('\n')) {
      const name = /^\d+: (C_\w+)/.exec(line)?.[1];
      if (name) calls.set(name, (calls.get(name) ?? 0) + 1);
    }
    return calls;
  };
  const total = (calls: Map<string, number>): number => [...calls.values()].reduce((a, b) => a + b, 0);

  // pkcs11-spy reads PKCS11SPY/PKCS11SPY_OUTPUT when it is loaded, i.e. at the service's first call.
  process.env.PKCS11SPY = hsm.modulePath;
  process.env.PKCS11SPY_OUTPUT = obnovaLog;
  const service = createTokenService({ module: { path: spyPath, source: 'argument', name: null } });
  const list = await service.listCertificates({});
  await service.close();
  if (list.certificates.length !== certificates || !list.certificates.every((c) => c.readable && c.hasPrivateKey)) throw new Error('listing is incomplete');

  writeFileSync(toolLog, '');
  execFileSync('pkcs11-tool', ['--module', spyPath, '--token-label', token.label, '-O'], {
    env: { ...hsm.env, PKCS11SPY: hsm.modulePath, PKCS11SPY_OUTPUT: toolLog },
    stdio: ['ignore', 'ignore', 'pipe'],
  });

  const obnova = count(obnovaLog);
  const tool = count(toolLog);
  const ratio = total(obnova) / total(tool);
  console.log(`token with ${certificates} certificates + ${certificates} key pairs, calls from load to finalize:`);
  console.log(`  Obnova listCertificates: ${total(obnova)}  ${JSON.stringify(Object.fromEntries(obnova))}`);
  console.log(`  pkcs11-tool -O:          ${total(tool)}  ${JSON.stringify(Object.fromEntries(tool))}`);
  console.log(`  ratio ${ratio.toFixed(2)}× (target ≤ 0.5×) ${ratio <= 0.5 ? 'PASS' : 'FAIL'}`);
  process.exitCode = ratio <= 0.5 ? 0 : 1;
} finally {
  hsm.cleanup();
}
