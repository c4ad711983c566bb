/**
 * CMS verify throughput: src-shared/pki `verifyCms` in process vs `openssl cms -verify` run in a shell loop
 * (one openssl process per blob, as a script using openssl would). Both check signature, attributes and
 * the chain to the same root. Prints both rates and the ratio; no assertion.
 *
 *   npx tsx bench/cms-verify.ts [count=300] [EC|RSA]
 */
import 'reflect-metadata';
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { signCms } from '../src-shared/pki/cms-sign.js';
import { verifyCms } from '../src-shared/pki/cms-verify.js';
import { softwareSigner } from '../src-shared/pki/signer.js';
import { createTestPki, tempDir, writeIssued } from '../tests/helpers/pki/pki-factory.js';

const count = Number(process.argv[2] ?? 300);
const keyType = (process.argv[3] ?? 'EC') === 'RSA' ? 'RSA' : 'EC';

const pki = await createTestPki({ keyType });
const dir = tempDir('obnova-bench-');
const blobsDir = join(dir, 'blobs');
mkdirSync(blobsDir);
await writeIssued(dir, 'root', pki.root);
const signer = softwareSigner(pki.person.keys.privateKey, { certificate: pki.person.certificate });
const blobs: Uint8Array[] = [];
for (let i = 0; i < count; i++) {
  const content = new TextEncoder().encode(JSON.stringify({ order: `B-${i}`, nonce: crypto.randomUUID(), pad: 'x'.repeat(512) }));
  const der = await signCms(content, signer, { chain: [pki.issuing.certificate] });
  blobs.push(der);
  writeFileSync(join(blobsDir, `${String(i).padStart(5, '0')}.der`), der);
}

// Warm-up so JIT and the key cache are in their steady state, as in a running service.
for (const der of blobs.slice(0, 20)) await verifyCms(der, { chain: { trustAnchors: [pki.root.certificate] } });
let started = performance.now();
for (const der of blobs) await verifyCms(der, { chain: { trustAnchors: [pki.root.certificate] } });
const oursMs = performance.now() - started;

const loop = `for f in "${blobsDir}"/*.der; do openssl cms -verify -binary -inform DER -in "$f" -CAfile "${join(dir, 'root.pem')}" -out /dev/null 2>/dev/null || exit 1; done`;
started = performance.now();
execFileSync('sh', ['-c', loop]);
const opensslMs = performance.now() - started;

const oursRate = (count / oursMs) * 1000;
const opensslRate = (count / opensslMs) * 1000;
console.log(`CMS verify, ${keyType} keys, ${count} blobs of ~${blobs[0]!.length} bytes, signature + attributes + chain to root`);
console.log(`  obnova verifyCms (in process):          ${oursRate.toFixed(1)} /s  (${(oursMs / count).toFixed(3)} ms each)`);
console.log(`  openssl cms -verify (shell loop):       ${opensslRate.toFixed(1)} /s  (${(opensslMs / count).toFixed(3)} ms each)`);
console.log(`  ratio obnova/openssl: ${(oursRate / opensslRate).toFixed(2)}x (target >= 1x)`);
console.log('  note: openssl pays process start-up per blob; its in-library verify is faster than either figure.');
rmSync(dir, { recursive: true, force: true });
