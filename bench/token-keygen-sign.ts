/**
 * Time to generate an RSA-2048 key pair on a SoftHSM token and sign once with it: Obnova (load, login,
 * C_GenerateKeyPairAsync, C_SignAsync, finalize — in this process) against `pkcs11-tool --keypairgen` plus one
 * `pkcs11-tool --sign` (two processes, as a user would run them; for EC, CKM_ECDSA over a 32-byte input because SoftHSM has no CKM_ECDSA_SHA256), alternating, in the same run.
 * RSA generation time varies with the primes found, so each side runs several times and medians are compared.
 * Target: ≤ 1.2×.   npx tsx bench/token-keygen-sign.ts [--runs 7] [--key rsa:2048|EC:prime256v1]
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { createTokenService } from '../src-main/token/token-service.js';
import { createSoftHsm } from '../tests/helpers/softhsm.js';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '7' }, key: { type: 'string', default: 'rsa:2048' } } });
const runs = Number(values.runs);
const ec = values.key !== 'rsa:2048';
const hsm = createSoftHsm();
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

try {
  const token = hsm.createToken({ label: 'Bench keys' });
  const input = join(hsm.dir, 'data');
  writeFileSync(input, Buffer.alloc(32, 1));
  const obnova: number[] = [];
  const tool: number[] = [];
  for (let i = 0; i < runs; i++) {
    let started = performance.now();
    const service = createTokenService({ module: { path: hsm.modulePath, source: 'argument', name: null } });
    await service.login(token.slotId, token.pin);
    const key = await service.generateKeyPair(token.slotId, ec ? { type: 'EC', curve: 'P-256', label: `o${i}` } : { type: 'RSA', size: 2048, label: `o${i}` });
    await service.signer(token.slotId, key.id, ec ? 'ECDSA-P256-SHA256' : 'RSASSA-PKCS1-v1_5-SHA256').sign(new Uint8Array(32));
    await service.close();
    obnova.push(performance.now() - started);

    started = performance.now();
    const id = (0x1000 + i).toString(16);
    const login = ['--token-label', token.label, '--login', '--pin', token.pin];
    hsm.pkcs11Tool([...login, '--keypairgen', '--key-type', values.key!, '--id', id, '--label', `t${i}`]);
    hsm.pkcs11Tool([...login, '--sign', '-m', ec ? 'ECDSA' : 'SHA256-RSA-PKCS', '--id', id, '-i', input, '-o', join(hsm.dir, 'sig')]);
    tool.push(performance.now() - started);
  }
  const ratio = median(obnova) / median(tool);
  const fmt = (xs: number[]): string => xs.map((x) => x.toFixed(0)).join(', ');
  console.log(`${values.key} generate + sign once, ${runs} runs each (ms):`);
  console.log(`  Obnova:      median ${median(obnova).toFixed(0)}  [${fmt(obnova)}]`);
  console.log(`  pkcs11-tool: median ${median(tool).toFixed(0)}  [${fmt(tool)}]`);
  console.log(`  ratio ${ratio.toFixed(2)}× (target ≤ 1.2×) ${ratio <= 1.2 ? 'PASS' : 'FAIL'}`);
  process.exitCode = ratio <= 1.2 ? 0 : 1;
} finally {
  hsm.cleanup();
}
