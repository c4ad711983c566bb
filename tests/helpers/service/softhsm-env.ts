/** A private SoftHSM2 token store for one test file: set before any PKCS#11 module is loaded. */
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface SoftHsmEnv {
  dir: string;
  conf: string;
  cleanup(): void;
}

/** Creates the store and points SOFTHSM2_CONF at it (SoftHSM reads it once per process). */
export function useSoftHsmEnv(prefix = 'obnova-ca-hsm-'): SoftHsmEnv {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const tokens = join(dir, 'tokens');
  mkdirSync(tokens);
  const conf = join(dir, 'softhsm2.conf');
  writeFileSync(conf, `directories.tokendir = ${tokens}\nobjectstore.backend = file\nlog.level = ERROR\nslots.removable = false\n`);
  process.env.SOFTHSM2_CONF = conf;
  return { dir, conf, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}
