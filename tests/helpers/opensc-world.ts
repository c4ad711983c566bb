/**
 * The second card world: OpenSC's own PKCS#11 module (opensc-pkcs11.so) → libpcsclite → a private pcscd →
 * vsmartcard's vpcd reader driver → our IsoApplet card emulator (tests/helpers/isoapplet/).
 *
 * pcscd always serves /run/pcscd/pcscd.comm, so each world runs its own pcscd in a private mount namespace
 * (`unshare --mount`) where /run/pcscd is a bind mount of the world's own folder: the socket appears in
 * that folder, clients reach it through PCSCLITE_CSOCK_NAME, and the machine's pcscd (and other test
 * files' worlds) are untouched. pcscd and the card also get their own network namespace (`--net`), so
 * vpcd's port never clashes with another world's, and its loopback can ACK at once (namespaceSetup).
 * OPENSC_CONF selects the isoApplet driver and the PUK unblock style the app's native-config expects.
 *
 * `createOpenscWorld()` takes a few seconds; `world.close()` always ends every process it started, with
 * bounded waits. Set the world's env (PCSCLITE_CSOCK_NAME, OPENSC_CONF) before the module is loaded in a
 * process: both are read at C_Initialize.
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CardReport, CardRequest } from './isoapplet/card-process.js';

export const openscModule = '/usr/lib/x86_64-linux-gnu/opensc-pkcs11.so';
const pcscd = '/usr/sbin/pcscd';
const vpcdDriver = '/usr/lib/pcsc/drivers/serial/libifdvpcd.so';
/** vpcd's default port: free in every world, since each has its own network namespace. */
const vpcdPort = 35963;

export interface OpenscCard {
  /** Kills the card process: the card is pulled out of the reader. */
  pull(): Promise<void>;
  /** Refuse new files and keys beyond `bytes` of EEPROM; 'used' = full now; null = no limit. */
  limitMemory(bytes: number | 'used' | null): Promise<void>;
  /** What the card itself counts (not what the middleware reports). */
  state(): Promise<Required<Omit<CardReport, 'type'>>>;
}

export interface OpenscWorld {
  dir: string;
  modulePath: string;
  /** PCSCLITE_CSOCK_NAME and OPENSC_CONF of this world, merged into process.env; for child processes. */
  env: NodeJS.ProcessEnv;
  /** Sets this world's variables in this process (for opensc-pkcs11.so loaded in-process). */
  enterThisProcess(): void;
  /** Puts a card into the first reader (a blank card unless `image` names an existing one). */
  insertCard(options?: { image?: string; shortApdus?: boolean }): Promise<OpenscCard & { image: string }>;
  /**
   * Initialises a PKCS#15 structure on the inserted card with pkcs15-init (user PIN, 16-char PUK, label,
   * serial in hex: the applet has no serial number of its own). OpenSC names the token "<label> (User PIN)".
   */
  initialise(options: { pin: string; puk: string; label: string; serial?: string }): Promise<void>;
  /** Runs an OpenSC tool (pkcs11-tool gets --module) in this world; rejects with its stderr on failure. */
  tool(file: 'pkcs11-tool' | 'pkcs15-init' | 'pkcs15-tool' | 'opensc-tool', args: string[], options?: { input?: string }): Promise<string>;
  /** Stops pcscd: the PC/SC service is gone (diagnostics). */
  stopPcscd(): Promise<void>;
  close(): Promise<void>;
}

async function waitFor(what: string, test: () => boolean | Promise<boolean>, timeoutMs: number): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (await test()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
}

/** SIGTERM, then SIGKILL after `graceMs`; resolves when the process is gone (or after a bounded wait). */
export function stopProcess(child: ChildProcess | undefined, graceMs = 3000): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const done = setTimeout(resolve, graceMs + 2000);
    child.once('exit', () => {
      clearTimeout(done);
      resolve();
    });
    child.kill('SIGTERM');
    setTimeout(() => child.exitCode === null && child.signalCode === null && child.kill('SIGKILL'), graceMs).unref();
  });
}

function openscConf(profileDir: string): string {
  return `app default {
  # Only the IsoApplet driver: no time spent probing the virtual card with every other driver.
  card_drivers = isoApplet;
  # OpenSC's profiles, with the PKCS#15 directory files of isoApplet.profile sized by createOpenscWorld().
  profile_dir = ${profileDir};
  framework pkcs15 {
    # No cache under $HOME: two worlds (or two test runs) could otherwise read each other's files.
    use_file_caching = no;
  }
  pkcs11 {
    # The app's native-config says OpenSC unblocks with C_SetPIN(PUK, new PIN) in a session not logged in.
    user_pin_unblock_style = set_pin_in_unlogged_session;
  }
}
`;
}

/**
 * Inside the world's namespaces: loopback up, with delayed ACKs off on it. Debian 12's vpcd sends an APDU's
 * length and its bytes in two writes without TCP_NODELAY, so the bytes wait for the card's ACK of the
 * length, which Linux delays 40 ms: ~45 ms per APDU. `quickack` on the loopback routes makes it ~1 ms.
 * Then /run/pcscd becomes the world's folder and pcscd starts (in the foreground, with our reader.conf).
 */
const namespaceSetup = [
  'ip link set lo up',
  'ip route change local 127.0.0.1 dev lo table local proto kernel scope host src 127.0.0.1 quickack 1',
  'ip route change local 127.0.0.0/8 dev lo table local proto kernel scope host src 127.0.0.1 quickack 1',
  'mount --bind "$1" /run/pcscd',
  'exec "$2" --foreground --config "$3"',
].join(' && ');

export async function createOpenscWorld(options: { directoryFileSize?: number } = {}): Promise<OpenscWorld> {
  const dir = mkdtempSync(join(tmpdir(), 'obnova-opensc-'));
  const runDir = join(dir, 'run');
  const confDir = join(dir, 'reader.conf.d');
  mkdirSync(runDir);
  mkdirSync(confDir);
  mkdirSync('/run/pcscd', { recursive: true }); // the mount point; the machine's pcscd (if any) keeps its own
  const channel = `0x${vpcdPort.toString(16).toUpperCase()}`;
  writeFileSync(join(confDir, 'vpcd'), `FRIENDLYNAME "Virtual PCD"\nDEVICENAME   /dev/null:${channel}\nLIBPATH      ${vpcdDriver}\nCHANNELID    ${channel}\n`);
  // isoApplet.profile sizes PrKDF, PuKDF and CDF at 512 bytes: about 7 key pairs with certificates, then
  // C_GenerateKeyPair fails with CKR_GENERAL_ERROR (no card error). `directoryFileSize` makes room for more.
  const profileDir = join(dir, 'profiles');
  cpSync('/usr/share/opensc', profileDir, { recursive: true });
  const profile = join(profileDir, 'isoApplet.profile');
  writeFileSync(profile, readFileSync(profile, 'utf8').replace(/((?:cdf|prkdf|pukdf)-size\s*=\s*)512;/g, `$1${options.directoryFileSize ?? 512};`));
  writeFileSync(join(dir, 'opensc.conf'), openscConf(profileDir));
  const socket = join(runDir, 'pcscd.comm');
  const worldEnv = { PCSCLITE_CSOCK_NAME: socket, OPENSC_CONF: join(dir, 'opensc.conf') };
  const env: NodeJS.ProcessEnv = { ...process.env, ...worldEnv };

  let daemon: ChildProcess | undefined = spawn('/usr/bin/unshare', ['--mount', '--net', '--propagation', 'private', '/bin/sh', '-c', namespaceSetup, 'sh', runDir, pcscd, confDir], {
    stdio: 'ignore',
  });
  const cards = new Set<ChildProcess>();

  const run = (file: string, args: string[], input?: string): Promise<string> =>
    new Promise((resolve, reject) => {
      const fullArgs = file === 'pkcs11-tool' ? ['--module', openscModule, ...args] : args;
      const child = execFile(file, fullArgs, { env, timeout: 60_000, encoding: 'utf8', maxBuffer: 16 << 20 }, (error, stdout, stderr) => {
        if (error) reject(new Error(`${file} ${args.join(' ')} failed: ${stderr || error.message}`));
        else resolve(stdout);
      });
      if (input !== undefined) child.stdin?.end(input);
    });

  const world: OpenscWorld = {
    dir,
    modulePath: openscModule,
    env,
    enterThisProcess() {
      Object.assign(process.env, worldEnv);
    },
    async insertCard(options = {}) {
      const image = options.image ?? join(dir, `card-${cards.size + 1}.json`);
      if (!daemon?.pid) throw new Error('pcscd is not running in this world');
      // The card joins pcscd's network namespace, where vpcd listens (and only there: no port clashes).
      const script = join(import.meta.dirname, 'isoapplet', 'card-process.ts');
      const cardArgs = [String(vpcdPort), image, ...(options.shortApdus ? ['--short-apdus'] : [])];
      const child = spawn('/usr/bin/nsenter', [`--net=/proc/${daemon.pid}/ns/net`, process.execPath, '--import', 'tsx', script, ...cardArgs], {
        stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
      });
      cards.add(child);
      child.once('exit', () => cards.delete(child));
      const ask = <T extends CardReport['type']>(request: CardRequest, answer: T): Promise<CardReport> =>
        new Promise((resolve, reject) => {
          const onMessage = (report: CardReport) => {
            if (report.type !== answer) return;
            child.off('message', onMessage);
            resolve(report);
          };
          child.on('message', onMessage);
          child.send(request, (error) => error && reject(error));
        });
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('the card did not reach vpcd within 15 s')), 15_000);
        child.once('message', () => (clearTimeout(timer), resolve()));
        child.once('exit', (code) => (clearTimeout(timer), reject(new Error(`the card process ended (${code})`))));
      });
      await waitFor('the reader to report the card', async () => /^\s*0\s+Yes\s/m.test(await run('opensc-tool', ['-l']).catch(() => '')), 10_000);
      return {
        image,
        pull: async () => {
          await stopProcess(child, 1000);
          await waitFor('the reader to report no card', async () => !/^\s*0\s+Yes\s/m.test(await run('opensc-tool', ['-l']).catch(() => '')), 10_000);
        },
        limitMemory: async (bytes) => void (await ask({ type: 'limit', bytes }, 'limit-set')),
        state: async () => {
          const { tries, usedBytes, keyCount } = await ask({ type: 'state' }, 'state');
          return { tries: tries!, usedBytes: usedBytes!, keyCount: keyCount! };
        },
      };
    },
    async initialise({ pin, puk, label, serial }) {
      await run('pkcs15-init', ['--create-pkcs15', '--so-pin', pin, '--so-puk', puk, '--label', label, ...(serial ? ['--serial', serial] : [])]);
    },
    tool: (file, args, options) => run(file, args, options?.input),
    async stopPcscd() {
      await stopProcess(daemon);
      daemon = undefined;
    },
    async close() {
      await Promise.all([...cards].map((child) => stopProcess(child, 1000)));
      await stopProcess(daemon);
      rmSync(dir, { recursive: true, force: true });
    },
  };

  try {
    await waitFor('pcscd to open its socket', () => existsSync(socket), 10_000);
    await waitFor('the virtual readers to appear', async () => (await run('opensc-tool', ['-l']).catch(() => '')).includes('Virtual PCD'), 10_000);
  } catch (error) {
    await world.close();
    throw error;
  }
  return world;
}
