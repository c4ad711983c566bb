/** Seeded byte mutations of valid structures: every outcome is a verified result or a coded ObnovaError, never another throw. */
import { webcrypto } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { ObnovaError } from '../../../src-shared/contract/errors.js';
import { Certificate } from '../../../src-shared/pki/certificate.js';
import { signCms } from '../../../src-shared/pki/cms-sign.js';
import { verifyCms } from '../../../src-shared/pki/cms-verify.js';
import { buildCsr, parseAndVerifyCsr } from '../../../src-shared/pki/csr.js';
import { verifyCrl } from '../../../src-shared/pki/crl-client.js';
import { decodePkcs7Chain, encodePkcs7Chain } from '../../../src-shared/pki/pkcs7-chain.js';
import { softwareSigner } from '../../../src-shared/pki/signer.js';
import { createTestPki, type TestPki } from '../../helpers/pki/pki-factory.js';

let pki: TestPki;
let cms: Uint8Array;
let csr: Uint8Array;

/** xorshift32: the same mutations on every run. */
function prng(seed: number): () => number {
  let x = seed;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 0x100000000;
  };
}

function mutations(input: Uint8Array, count: number, seed: number): Uint8Array[] {
  const rnd = prng(seed);
  const out: Uint8Array[] = [];
  for (let i = 0; i < count; i++) {
    const m = input.slice();
    const edits = 1 + Math.floor(rnd() * 3);
    for (let e = 0; e < edits; e++) m[Math.floor(rnd() * m.length)] = Math.floor(rnd() * 256);
    out.push(rnd() < 0.2 ? m.subarray(0, Math.floor(rnd() * m.length)) : m);
  }
  return out;
}

async function outcome(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return 'ok';
  } catch (error) {
    if (error instanceof ObnovaError) return error.code;
    throw error;
  }
}

beforeAll(async () => {
  pki = await createTestPki();
  cms = await signCms(new TextEncoder().encode('mutate me'), softwareSigner(pki.person.keys.privateKey, { certificate: pki.person.certificate }), {
    chain: [pki.issuing.certificate],
  });
  const keys = await webcrypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, ['sign', 'verify']);
  csr = await buildCsr({ subject: 'CN=Mutant,C=SI', publicKey: new Uint8Array(await webcrypto.subtle.exportKey('spki', keys.publicKey)), signer: softwareSigner(keys.privateKey) });
});

describe('mutated input never escapes as an uncoded error', () => {
  it('CMS', async () => {
    const codes = new Set<string>();
    for (const m of mutations(cms, 400, 1)) codes.add(await outcome(verifyCms(m, { chain: { trustAnchors: [pki.root.certificate] } })));
    expect(codes.size).toBeGreaterThan(3);
  });

  it('certificates', async () => {
    for (const m of mutations(pki.person.der, 300, 2)) await outcome(Certificate.fromDer(m).then((c) => [c.holder, c.qcStatements, c.keyUsages, c.policyOids, c.crlUrls, c.ocspUrls, c.keyAlgorithm]));
  });

  it('PKCS#10', async () => {
    for (const m of mutations(csr, 300, 3)) await outcome(parseAndVerifyCsr(m));
  });

  it('PKCS#7 chains and CRL bytes', async () => {
    const p7 = encodePkcs7Chain([pki.person.certificate, pki.issuing.certificate]);
    for (const m of mutations(p7, 200, 4)) await outcome(decodePkcs7Chain(m));
    for (const m of mutations(p7, 100, 5)) await outcome(verifyCrl(m, pki.issuing.certificate, new Date()));
  });
});
