/** Objects read off a SoftHSM card from outside the app (pkcs11-tool): key and certificate IDs, certificates as a CertificateSource. */
import { spawnSync } from 'node:child_process';
import type { CardCertificateValue, CertificateSource } from '../../../src-main/export/certificate-source.js';
import { softhsmModule, type IssuedCard } from './ca-process.js';

function tool(args: string[]): Buffer {
  const r = spawnSync('pkcs11-tool', ['--module', softhsmModule, ...args], { timeout: 30_000 });
  if (r.status !== 0) throw new Error(`pkcs11-tool ${args.join(' ')}: ${r.stderr.toString()}`);
  return r.stdout;
}

/** The pkcs11-tool -O listing of one kind of object after a login (private keys are listed only then). */
export function listObjects(card: IssuedCard, type: 'privkey' | 'pubkey' | 'cert'): string {
  return tool(['--token-label', card.tokenLabel, '--login', '--pin', card.pin, '-O', '--type', type]).toString();
}

/** CKA_IDs (lowercase hex) of one kind of object on the card, in pkcs11-tool's order. */
export function objectIds(card: IssuedCard, type: 'privkey' | 'pubkey' | 'cert'): string[] {
  return [...listObjects(card, type).matchAll(/ID:\s*([0-9a-f]+)/gi)].map((m) => m[1]!.toLowerCase());
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
