/** Certificate objects read off a SoftHSM card from outside the app (pkcs11-tool), as a CertificateSource for tests. */
import { spawnSync } from 'node:child_process';
import type { CardCertificateValue, CertificateSource } from '../../../src-main/export/certificate-source.js';
import { softhsmModule } from './ca-process.js';

function tool(args: string[]): Buffer {
  const r = spawnSync('pkcs11-tool', ['--module', softhsmModule, ...args], { timeout: 30_000 });
  if (r.status !== 0) throw new Error(`pkcs11-tool ${args.join(' ')}: ${r.stderr.toString()}`);
  return r.stdout;
}

/** Every X.509 certificate object on the token labelled `tokenLabel`: CKA_ID and value. */
export function readCardCertificates(tokenLabel: string): CardCertificateValue[] {
  const listing = tool(['--token-label', tokenLabel, '-O', '--type', 'cert']).toString();
  const ids = [...listing.matchAll(/^\s*ID:\s*([0-9a-f]+)/gim)].map((m) => m[1]!.toLowerCase());
  return [...new Set(ids)].map((id) => ({ objectId: id, der: new Uint8Array(tool(['--token-label', tokenLabel, '--read-object', '--type', 'cert', '--id', id])) }));
}

/** A source over several cards: slot IDs map to token labels. */
export function cardCertificateSource(labelsBySlot: () => Map<string, string>): CertificateSource {
  return {
    certificateValues: async (slotId) => {
      const label = labelsBySlot().get(slotId);
      return label ? readCardCertificates(label) : [];
    },
  };
}
