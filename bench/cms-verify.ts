/**
 * CMS verify throughput: src-shared/pki `verifyCms` in process vs `openssl cms -verify` run in a shell loop
 * (one openssl process per blob, as a script using openssl would). Both check signature, attributes and
 * the chain to the same root. Two cases: every blob from the same holder (the parsed-certificate cache
 * hits for all three certificates) and every blob from a different holder (the cache is cleared first, so
 * only the CA certificates from the warm-up blob hit; each holder certificate is parsed cold).
 * Prints both rates and the ratio; asserts nothing.
 *
 *   npx tsx bench/cms-verify.ts [count=300] [EC|RSA]
 */
import 'reflect-metadata';
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Certificate } from '../src-shared/pki/certificate.js';
import { signCms } from '../src-shared/pki/cms-sign.js';
import { verifyCms } from '../src-shared/pki/cms-verify.js';
import { softwareSigner } from '../src-shared/pki/signer.js';
import { createTestPki, issue, tempDir, writeIssued } from '../tests/helpers/pki/pki-factory.js';

const count = Number(process.argv[2] ?? 300);
const keyType = (process.argv[3] ?? 'EC') === 'RSA' ? 'RSA' : 'EC';

const pki = await createTestPki({ keyType });
const dir = tempDir('obnova-bench-');
await writeIssued(dir, 'root', pki.root);

function content(i: number): Uint8Array {
  return new TextEncoder().encode(JSON.stringify({ order: `B-${i}`, nonce: crypto.randomUUID(), pad: 'x'.repeat(512) }));
}

async function measure(name: string, blobs: Uint8Array[]): Promise<void> {
  const blobsDir = join(dir, name);
  mkdirSync(blobsDir);
  blobs.forEach((der, i) => writeFileSync(join(blobsDir, `${String(i).padStart(5, '0')}.der`), der));
  const options = { chain: { trustAnchors: [pki.root.certificate] } };
  // Warm up JIT and the CA's cached certificate with blobs outside the measured set.
  const warm = await signCms(content(-1), softwareSigner(pki.person.keys.privateKey, { certificate: pki.person.certificate }), { chain: [pki.issuing.certificate] });
  for (let i = 0; i < 20; i++) await verifyCms(warm, options);
  // Only the certificates a running service would already know stay parsed: the fixtures, root and issuing CA.
  if (name === 'distinct-holders') Certificate.clearParsedCache();
  await verifyCms(warm, options);
  let started = performance.now();
  for (const der of blobs) await verifyCms(der, options);
  const oursMs = performance.now() - started;
  const loop = `for f in "${blobsDir}"/*.der; do openssl cms -verify -binary -inform DER -in "$f" -CAfile "${join(dir, 'root.pem')}" -out /dev/null 2>/dev/null || exit 1; done`;
  started = performance.now();
  execFileSync('sh', ['-c', loop]);
  const opensslMs = performance.now() - started;
  const oursRate = (blobs.length / oursMs) * 1000;
  const opensslRate = (blobs.length / opensslMs) * 1000;
  console.log(`${name}: ${blobs.length} blobs of ~${blobs[0]!.length} bytes`);
  console.log(`  obnova verifyCms (in process):    ${oursRate.toFixed(1)} /s  (${(oursMs / blobs.length).toFixed(2)} ms each)`);
  console.log(`  openssl cms -verify (shell loop): ${opensslRate.toFixed(1)} /s  (${(opensslMs / blobs.length).toFixed(2)} ms each)`);
  console.log(`  ratio obnova/openssl: ${(oursRate / opensslRate).toFixed(2)}x (target >= 1x)`);
}

console.log(`CMS verify, ${keyType} keys, signature + CAdES attributes + chain to root`);
const same = softwareSigner(pki.person.keys.privateKey, { certificate: pki.person.certificate });
const sameBlobs: Uint8Array[] = [];
for (let i = 0; i < count; i++) sameBlobs.push(await signCms(content(i), same, { chain: [pki.issuing.certificate] }));
await measure('same-holder', sameBlobs);

const distinctBlobs: Uint8Array[] = [];
for (let i = 0; i < count; i++) {
  const holder = await issue({ subject: `CN=Holder ${i},C=SI`, issuer: pki.issuing, keyType, qc: 'natural' });
  distinctBlobs.push(await signCms(content(i), softwareSigner(holder.keys.privateKey, { certificate: holder.certificate }), { chain: [pki.issuing.certificate] }));
}
await measure('distinct-holders', distinctBlobs);
console.log('note: openssl pays process start-up per blob; linked as a library it would be faster than both figures.');
rmSync(dir, { recursive: true, force: true });
