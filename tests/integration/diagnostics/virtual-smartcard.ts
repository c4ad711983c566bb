/**
 * A real PC/SC stack without hardware: Debian's pcscd with the vsmartcard virtual reader driver (vpcd,
 * package vsmartcard-vpcd) and the vicc virtual card (packages vsmartcard-vpicc + python3-virtualsmartcard,
 * plus python3-pycryptodome). pcscd always serves /run/pcscd/pcscd.comm (it ignores PCSCLITE_CSOCK_NAME),
 * so one test file at a time may own it; its reader list comes from our own reader.conf.d folder (-c)
 * with vpcd on a free port.
 *
 * Debian 12's python3-virtualsmartcard installs into /usr/lib/python3/site-packages/virtualsmartcard/
 * (not on sys.path) and imports `Crypto`, while Debian's pycryptodome is `Cryptodome`: PYTHONPATH and a
 * `Crypto` symlink make /usr/bin/vicc run unchanged.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';

export const pcscSocket = '/run/pcscd/pcscd.comm';

export interface VirtualSmartcard {
  /** Puts the virtual card into the first reader (starts vicc). */
  insertCard(): Promise<void>;
  /** Takes it out (stops vicc). */
  removeCard(): Promise<void>;
  /** Stops pcscd (and the card). */
  stop(): Promise<void>;
}

/** True when pcscd, vpcd and vicc are installed. */
export function virtualSmartcardAvailable(): boolean {
  return existsSync('/usr/sbin/pcscd') && existsSync('/usr/lib/pcsc/drivers/serial/libifdvpcd.so') && existsSync('/usr/bin/vicc');
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

async function waitFor(what: string, test: () => boolean, timeoutMs = 15_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (test()) return;
    await new Promise((r) => setTimeout(r, 150));
  }
  throw new Error(`timed out waiting for ${what}`);
}

function readerList(): string {
  try {
    return execFileSync('opensc-tool', ['-l'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  } catch {
    return '';
  }
}

function stopChild(child: ChildProcess | undefined): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

/** Starts pcscd with one vpcd reader pair in `workDir`; fails if another pcscd already owns the socket. */
export async function startVirtualSmartcard(workDir: string): Promise<VirtualSmartcard> {
  if (existsSync(pcscSocket)) throw new Error(`${pcscSocket} exists: another pcscd is running; stop it before this test`);
  const port = await freePort();
  const confDir = join(workDir, 'reader.conf.d');
  mkdirSync(confDir, { recursive: true });
  const channel = `0x${port.toString(16).toUpperCase()}`;
  writeFileSync(join(confDir, 'vpcd'), `FRIENDLYNAME "Virtual PCD"\nDEVICENAME   /dev/null:${channel}\nLIBPATH      /usr/lib/pcsc/drivers/serial/libifdvpcd.so\nCHANNELID    ${channel}\n`);
  const shim = join(workDir, 'python-shim');
  mkdirSync(shim, { recursive: true });
  if (!existsSync(join(shim, 'Crypto'))) symlinkSync('/usr/lib/python3/dist-packages/Cryptodome', join(shim, 'Crypto'));

  const pcscd = spawn('/usr/sbin/pcscd', ['--foreground', '--config', confDir], { stdio: 'ignore' });
  await waitFor('pcscd to open its socket', () => existsSync(pcscSocket));
  await waitFor('the virtual readers to appear', () => readerList().includes('Virtual PCD'));
  let vicc: ChildProcess | undefined;

  return {
    async insertCard() {
      if (vicc && vicc.exitCode === null) return;
      vicc = spawn('/usr/bin/vicc', ['--type', 'iso7816', '--port', String(port)], {
        stdio: 'ignore',
        env: { ...process.env, PYTHONPATH: ['/usr/lib/python3/site-packages/virtualsmartcard', shim].join(':') },
      });
      await waitFor('the virtual card to be inserted', () => /^\s*0\s+Yes\s+Virtual PCD/m.test(readerList()));
    },
    async removeCard() {
      await stopChild(vicc);
      vicc = undefined;
      await waitFor('the virtual card to be removed', () => /^\s*0\s+No\s+Virtual PCD/m.test(readerList()));
    },
    async stop() {
      await stopChild(vicc);
      await stopChild(pcscd);
      await waitFor('pcscd to remove its socket', () => !existsSync(pcscSocket), 5000).catch(() => undefined);
    },
  };
}
