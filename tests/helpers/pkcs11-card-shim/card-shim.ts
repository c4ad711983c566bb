/**
 * A SoftHSM token behind card-shim.c: the test stand-in for a card's PIN/PUK retry counter and a reader's
 * PIN pad (see the C file's header). The shim is compiled once per source version into
 * node_modules/.cache/obnova-card-shim/<hash>/, safely when several test processes build it at once.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { appendFileSync, cpSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { SoftHsm } from '../softhsm.js';

const root = join(import.meta.dirname, '../../..');
const source = join(import.meta.dirname, 'card-shim.c');
const includes = join(root, 'node_modules/pkcs11js/includes');

/**
 * Compiles card-shim.c (gcc -shared -fPIC) unless this version is built already; returns the library's path.
 * The file is named libsofthsm2.so so the module resolver knows it as SoftHSM (native-config: tokens made
 * by another process appear after C_Finalize + C_Initialize; unblock by SO login) — which it forwards to.
 */
export function buildCardShim(): string {
  const flags = ['-shared', '-fPIC', '-O1', '-Wall', '-Wextra', '-Werror', '-I', includes];
  const hash = createHash('sha256').update(readFileSync(source)).update(flags.join(' ')).digest('hex').slice(0, 16);
  const out = join(root, 'node_modules/.cache/obnova-card-shim', hash, 'libsofthsm2.so');
  if (existsSync(out)) return out;
  mkdirSync(dirname(out), { recursive: true });
  // A private temporary name, then rename: another process building at the same time never sees half a file.
  const temporary = `${out}.${process.pid}.${Date.now()}.tmp`;
  try {
    execFileSync('gcc', [...flags, '-o', temporary, source, '-ldl', '-lpthread'], { stdio: ['ignore', 'pipe', 'pipe'] });
    renameSync(temporary, out);
  } finally {
    rmSync(temporary, { force: true });
  }
  return out;
}

export interface CardShimOptions {
  /** User PIN tries (default 3). */
  pinTries?: number;
  /** PUK (SO PIN) tries (default 10). */
  pukTries?: number;
  /** Token serials in a PIN-pad reader, or 'all'. */
  pinPad?: 'all' | string[];
  /** How long a pad entry waits for a line in the queue before it counts as cancelled (default 60 s). */
  padTimeoutMs?: number;
}

export interface CardShim {
  /** The shim library: pass it as --module / OBNOVA_PKCS11_MODULE, or load it. */
  modulePath: string;
  /** hsm.env plus the shim's settings and OBNOVA_NATIVE_CONFIG_DIR, for child processes (CLI, web mode, pkcs11-tool). */
  env: NodeJS.ProcessEnv;
  /**
   * A copy of native-config/ whose SoftHSM entry is the shim. Diagnostics loads every installed middleware
   * besides the chosen one; the real SoftHSM file would be the same library under the shim (as pkcs11-spy is
   * over its target), and closing it would C_Finalize SoftHSM under the app.
   */
  nativeConfigDir: string;
  /** The pad queue: each line is one entry typed on the reader; CANCEL is the Cancel key. */
  padQueue: string;
  /** Queues entries "typed on the reader", one per line. */
  typeOnPad(...entries: string[]): void;
  /** What is still queued (entries not consumed yet). */
  padPending(): string[];
  /** Tries left on a token, as the shim counts them. */
  triesLeft(serial: string): { pin: number; puk: number };
  /** Runs pkcs11-tool through the shim; returns stdout. */
  pkcs11Tool(args: string[]): string;
  /** Locks the user PIN the way a holder does: wrong PINs (pkcs11-tool logins, other processes) until no try is left. */
  lockWithWrongPins(token: { label: string; serial: string }): void;
}

/** The shim in front of this SoftHSM; also sets the settings in process.env for in-process use (the shim reads them at every call). */
export function createCardShim(hsm: Pick<SoftHsm, 'dir' | 'env' | 'modulePath'>, options: CardShimOptions = {}): CardShim {
  const modulePath = buildCardShim();
  const padQueue = join(hsm.dir, 'pin-pad.queue');
  writeFileSync(padQueue, '');
  const settings: Record<string, string> = {
    OBNOVA_SHIM_TARGET: hsm.modulePath,
    OBNOVA_SHIM_STATE_DIR: hsm.dir,
    OBNOVA_SHIM_PAD_QUEUE: padQueue,
    OBNOVA_SHIM_PIN_TRIES: String(options.pinTries ?? 3),
    OBNOVA_SHIM_SO_PIN_TRIES: String(options.pukTries ?? 10),
    OBNOVA_SHIM_PAD_TIMEOUT_MS: String(options.padTimeoutMs ?? 60_000),
    OBNOVA_SHIM_PIN_PAD: options.pinPad === undefined ? '' : options.pinPad === 'all' ? 'all' : options.pinPad.join(','),
  };
  Object.assign(process.env, settings);
  const nativeConfigDir = join(hsm.dir, 'native-config');
  cpSync(join(root, 'native-config'), nativeConfigDir, { recursive: true });
  const modulesFile = join(nativeConfigDir, 'pkcs11-modules.json');
  const config = JSON.parse(readFileSync(modulesFile, 'utf8')) as { modules: Array<{ id: string; platforms: Record<string, string[]> }> };
  for (const entry of config.modules) if (entry.id === 'softhsm2') for (const key of Object.keys(entry.platforms)) entry.platforms[key] = [modulePath];
  writeFileSync(modulesFile, JSON.stringify(config, null, 2));
  // Not in process.env: the test's own createSoftHsm() finds the real SoftHSM through native-config.
  const env = { ...hsm.env, ...settings, OBNOVA_NATIVE_CONFIG_DIR: nativeConfigDir };
  const pkcs11Tool = (args: string[]): string => execFileSync('pkcs11-tool', ['--module', modulePath, ...args], { env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  return {
    modulePath,
    env,
    nativeConfigDir,
    padQueue,
    typeOnPad: (...entries) => appendFileSync(padQueue, entries.map((e) => `${e}\n`).join('')),
    padPending: () => readFileSync(padQueue, 'utf8').split('\n').filter(Boolean),
    triesLeft(serial) {
      const file = join(hsm.dir, `card-shim-${serial}.tries`);
      const max = { pin: options.pinTries ?? 3, puk: options.pukTries ?? 10 };
      if (!existsSync(file)) return max;
      const [pin, puk] = readFileSync(file, 'utf8').trim().split(/\s+/).map(Number);
      return { pin: pin ?? max.pin, puk: puk ?? max.puk };
    },
    pkcs11Tool,
    lockWithWrongPins(token) {
      for (let attempt = 0; this.triesLeft(token.serial).pin > 0; attempt++) {
        if (attempt > 20) throw new Error(`wrong PINs did not lock ${token.label}`);
        try {
          pkcs11Tool(['--token-label', token.label, '--login', '--pin', `0000${attempt}`.slice(-8).padStart(8, '9'), '--list-objects']);
        } catch {
          // The wrong PIN was refused, as intended.
        }
      }
    },
  };
}
