/**
 * The CA certificates the app trusts for renewal: files shipped in `native-config/trust/` plus any in the
 * user's `<appData>/trust/` (the demo CA puts its root there). PEM (one or more blocks) or DER files.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Certificate } from '../../src-shared/pki/certificate.js';
import { fromPemAll } from '../../src-shared/pki/pem.js';

const certificateFile = /\.(pem|crt|cer|der)$/i;

/** Every certificate in the files of `dirs` (missing folders are skipped); a file that does not parse is reported, not fatal. */
export async function loadTrustAnchors(dirs: readonly string[]): Promise<{ anchors: Certificate[]; invalid: string[] }> {
  const anchors: Certificate[] = [];
  const invalid: string[] = [];
  const seen = new Set<string>();
  for (const dir of dirs) {
    if (!existsSync(dir) || !statSync(dir).isDirectory()) continue;
    for (const name of readdirSync(dir).sort()) {
      if (!certificateFile.test(name)) continue;
      const path = join(dir, name);
      try {
        for (const der of dersOf(readFileSync(path))) {
          const cert = await Certificate.fromDer(der);
          if (seen.has(cert.fingerprintSha256)) continue;
          seen.add(cert.fingerprintSha256);
          anchors.push(cert);
        }
      } catch {
        invalid.push(path);
      }
    }
  }
  return { anchors, invalid };
}

function dersOf(bytes: Buffer): Uint8Array[] {
  const head = bytes.subarray(0, 64).toString('latin1');
  if (!head.includes('-----BEGIN')) return [new Uint8Array(bytes)];
  return fromPemAll(bytes.toString('latin1'), 'CERTIFICATE').map((b) => b.der);
}

/** Where anchors are looked for: the shipped folder, then the user's. */
export function trustDirs(nativeConfigDir: string | null, appDataDir: string): string[] {
  return [...(nativeConfigDir ? [join(nativeConfigDir, 'trust')] : []), join(appDataDir, 'trust')];
}
