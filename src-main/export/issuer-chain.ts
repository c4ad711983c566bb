/** The issuers of a certificate found in a pool (CA certificates on the card, trust anchors), nearest first. */
import type { Certificate } from '../../src-shared/pki/certificate.js';

/** Longest chain followed; real qualified chains are two or three certificates. */
const maxDepth = 6;

/** Follows issuer name + signature upwards through `pool`; stops at a self-issued certificate or when no issuer is known. */
export async function issuerChain(certificate: Certificate, pool: readonly Certificate[]): Promise<Certificate[]> {
  const chain: Certificate[] = [];
  let current = certificate;
  while (!current.isSelfIssued && chain.length < maxDepth) {
    let next: Certificate | undefined;
    for (const candidate of pool) {
      if (candidate.subjectNameHex !== current.issuerNameHex || candidate.fingerprintSha256 === current.fingerprintSha256) continue;
      if (chain.some((c) => c.fingerprintSha256 === candidate.fingerprintSha256)) continue;
      if (await current.isSignedBy(candidate)) {
        next = candidate;
        break;
      }
    }
    if (!next) break;
    chain.push(next);
    current = next;
  }
  return chain;
}
