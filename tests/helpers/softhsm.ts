/**
 * The token factory for tests: a private SoftHSM2 (own softhsm2.conf and token folder) per test file,
 * tokens made by softhsm2-util, objects put on them the way a real card holds them (token-objects.ts).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findNativeConfigDir, loadPkcs11Modules } from '../../src-main/token/native-config.js';
import { expandEnvVars, platformKey } from '../../src-main/token/module-resolver.js';
import {
  addKeyAndCertificate,
  type KeyAndCertificateOptions,
  type WrittenCertificate,
  writeRawCertificateObject,
} from './token-objects.js';

export * from './token-objects.js';
export * from './test-ca.js';

/** A token made by `softhsm2-util --init-token`. */
export interface SoftHsmToken {
  label: string;
  /** CK_SLOT_ID in decimal, as softhsm2-util reports it after initialization. */
  slotId: string;
  serial: string;
  pin: string;
  soPin: string;
}

export interface SoftHsm {
  dir: string;
  conf: string;
  /** process.env plus SOFTHSM2_CONF, for child processes (softhsm2-util, pkcs11-tool). */
  env: NodeJS.ProcessEnv;
  modulePath: string;
  createToken(options: { label: string; pin?: string; soPin?: string }): SoftHsmToken;
  deleteToken(label: string): void;
  /** Runs pkcs11-tool against this SoftHSM (adds --module); returns stdout. */
  pkcs11Tool(args: string[]): string;
  /** addKeyAndCertificate() bound to this SoftHSM. */
  addKeyAndCertificate(token: SoftHsmToken, options: KeyAndCertificateOptions): Promise<WrittenCertificate>;
  /** writeRawCertificateObject() bound to this SoftHSM. */
  writeRawCertificateObject(token: SoftHsmToken, bytes: Uint8Array, options?: { id?: string; label?: string }): ReturnType<typeof writeRawCertificateObject>;
  cleanup(): void;
}

/** The SoftHSM2 library: OBNOVA_TEST_SOFTHSM_MODULE, else the first existing candidate in native-config. */
export function findSoftHsmModule(): string {
  const fromEnv = process.env.OBNOVA_TEST_SOFTHSM_MODULE;
  if (fromEnv) return fromEnv;
  const key = platformKey(process.platform, process.arch);
  const entry = loadPkcs11Modules(findNativeConfigDir()).modules.find((m) => m.id === 'softhsm2');
  for (const candidate of (key && entry?.platforms[key]) || []) {
    const path = expandEnvVars(candidate, process.env);
    if (path && existsSync(path)) return path;
  }
  throw new Error('SoftHSM2 is not installed (set OBNOVA_TEST_SOFTHSM_MODULE)');
}

function run(command: string, args: string[], env: NodeJS.ProcessEnv): string {
  try {
    return execFileSync(command, args, { env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (error) {
    const e = error as { stderr?: string; stdout?: string };
    throw new Error(`${command} ${args.filter((a) => !/^\d{4,}$/.test(a)).join(' ')} failed: ${e.stderr ?? ''}${e.stdout ?? ''}`);
  }
}

/**
 * Makes a SoftHSM2 with its own config and token folder. With `setProcessEnv` (default) it also sets
 * process.env.SOFTHSM2_CONF, which SoftHSM reads at C_Initialize in this process; cleanup() restores it.
 */
export function createSoftHsm(options: { setProcessEnv?: boolean } = {}): SoftHsm {
  const dir = mkdtempSync(join(tmpdir(), 'obnova-softhsm-'));
  const tokenDir = join(dir, 'tokens');
  execFileSync('mkdir', ['-p', tokenDir]);
  const conf = join(dir, 'softhsm2.conf');
  writeFileSync(conf, `directories.tokendir = ${tokenDir}\nobjectstore.backend = file\nlog.level = ERROR\nslots.removable = false\n`);
  const env = { ...process.env, SOFTHSM2_CONF: conf };
  const modulePath = findSoftHsmModule();
  const previousConf = process.env.SOFTHSM2_CONF;
  const setProcessEnv = options.setProcessEnv ?? true;
  if (setProcessEnv) process.env.SOFTHSM2_CONF = conf;

  const serialOf = (slotId: string): string => {
    const out = run('softhsm2-util', ['--show-slots'], env);
    const block = out.split(/^Slot /m).find((b) => b.startsWith(`${slotId}\n`));
    const serial = block && /Serial number:\s*(\S+)/.exec(block)?.[1];
    if (!serial) throw new Error(`softhsm2-util shows no serial for slot ${slotId}`);
    return serial;
  };

  const hsm: SoftHsm = {
    dir,
    conf,
    env,
    modulePath,
    createToken({ label, pin = '1234', soPin = '12345678' }) {
      const out = run('softhsm2-util', ['--init-token', '--free', '--label', label, '--pin', pin, '--so-pin', soPin], env);
      const slotId = /reassigned to slot (\d+)/.exec(out)?.[1];
      if (!slotId) throw new Error(`softhsm2-util did not report a slot: ${out}`);
      return { label, slotId, serial: serialOf(slotId), pin, soPin };
    },
    deleteToken(label) {
      run('softhsm2-util', ['--delete-token', '--token', label], env);
    },
    pkcs11Tool(args) {
      return run('pkcs11-tool', ['--module', modulePath, ...args], env);
    },
    addKeyAndCertificate: (token, options) => addKeyAndCertificate(hsm, token, options),
    writeRawCertificateObject: (token, bytes, options) => writeRawCertificateObject(hsm, token, bytes, options),
    cleanup() {
      if (setProcessEnv) {
        if (previousConf === undefined) delete process.env.SOFTHSM2_CONF;
        else process.env.SOFTHSM2_CONF = previousConf;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return hsm;
}
