/** Where the demo keeps everything (`.obnova-demo/`, recreated on each run) and which loopback ports it uses. */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import type { DemoMarket } from './demo-cards.js';

export interface DemoLayout {
  dir: string;
  /** The CAs' HSM: a SoftHSM store with one token per CA. */
  caHsmConf: string;
  caHsmTokens: string;
  /** The holders' cards: a SoftHSM store with one token per card; the app sees only this one. */
  cardHsmConf: string;
  cardTokens: string;
  /** The app's settings folder (OBNOVA_APP_DATA). */
  appData: string;
  caDir(market: DemoMarket): string;
  ports: Record<DemoMarket, number>;
  adminPorts: Record<DemoMarket, number>;
  adminToken: string;
  autoConfirmMs: number;
}

/** Marks a folder as the demo's, so a later run may empty it. */
const markerFile = '.obnova-demo';

/** A port the OS says is free on 127.0.0.1 right now. */
export function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolvePort(address.port) : reject(new Error('no port'))));
    });
  });
}

/** `preferred` when it is free (the local-demo deployment's port), else any free port. */
async function portOr(preferred: number | null): Promise<number> {
  if (preferred === null) return freePort();
  return new Promise((resolvePort) => {
    const server = createServer();
    server.once('error', () => void freePort().then(resolvePort));
    server.listen(preferred, '127.0.0.1', () => server.close(() => resolvePort(preferred)));
  });
}

function softhsmConf(path: string, tokens: string): void {
  mkdirSync(tokens, { recursive: true, mode: 0o700 });
  writeFileSync(path, `directories.tokendir = ${tokens}\nobjectstore.backend = file\nlog.level = ERROR\nslots.removable = false\n`);
}

/**
 * Empties `dir` and lays it out. `fixedPorts` uses the local-demo deployment's port (8443) for the SI
 * service when free, so the app's `local-demo` deployment points at it; the check uses free ports only.
 */
export async function prepareLayout(dir: string, options: { fixedPorts: boolean; autoConfirmMs: number; /** The default .obnova-demo/ (gitignored): always the demo's. */ ownDefault: boolean }): Promise<DemoLayout> {
  const root = resolve(dir);
  // The folder is emptied on every run: only ever one the demo made itself (a typo in --dir must not wipe a home folder).
  if (!options.ownDefault && existsSync(root) && readdirSync(root).length > 0 && !existsSync(join(root, markerFile))) {
    throw new Error(`${root} is not empty and was not made by the demo; choose another --dir`);
  }
  rmSync(root, { recursive: true, force: true });
  mkdirSync(root, { recursive: true, mode: 0o700 });
  writeFileSync(join(root, markerFile), 'Made by npm run demo; emptied and recreated on each run.\n');
  const layout: DemoLayout = {
    dir: root,
    caHsmConf: join(root, 'ca-hsm', 'softhsm2.conf'),
    caHsmTokens: join(root, 'ca-hsm', 'tokens'),
    cardHsmConf: join(root, 'cards', 'softhsm2.conf'),
    cardTokens: join(root, 'cards', 'tokens'),
    appData: join(root, 'app-data'),
    caDir: (market) => join(root, `ca-${market}`),
    ports: { si: await portOr(options.fixedPorts ? 8443 : null), rs: await portOr(options.fixedPorts ? 8444 : null) },
    adminPorts: { si: await portOr(options.fixedPorts ? 8481 : null), rs: await portOr(options.fixedPorts ? 8482 : null) },
    adminToken: randomBytes(24).toString('base64url'),
    autoConfirmMs: options.autoConfirmMs,
  };
  // Two fixed-port fallbacks could pick the same free port; make all four distinct.
  const all = [layout.ports.si, layout.ports.rs, layout.adminPorts.si, layout.adminPorts.rs];
  while (new Set(all).size < all.length) {
    layout.ports.rs = await freePort();
    layout.adminPorts.si = await freePort();
    layout.adminPorts.rs = await freePort();
    all.splice(0, 4, layout.ports.si, layout.ports.rs, layout.adminPorts.si, layout.adminPorts.rs);
  }
  softhsmConf(layout.caHsmConf, layout.caHsmTokens);
  softhsmConf(layout.cardHsmConf, layout.cardTokens);
  mkdirSync(layout.appData, { recursive: true, mode: 0o700 });
  return layout;
}
