#!/usr/bin/env node
// `npm run dist [-- --linux|--win|--mac] [--dry-run]`: the installers described in electron-builder.yml.
// Says what it builds, checks that an Electron binary for the target is on this machine (electron-builder
// would otherwise try to download one), builds with electron-vite, packages with electron-builder, and
// rebuilds the native modules for Node again afterwards (packaging rebuilt them for Electron in place).
// Exit codes: 0 built (or --dry-run ready), 1 build failed, 2 this machine cannot build (no Electron binary).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { unusedProductionPackages, writePackagingConfig } from './app-packages.mjs';
import { homedir, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const require = createRequire(import.meta.url);
const root = resolve(import.meta.dirname, '..');
const args = process.argv.slice(2);
const dryRun = args.includes('--dry-run');

const platforms = { '--linux': 'linux', '--win': 'win32', '--mac': 'darwin' };
const platform = Object.entries(platforms).find(([flag]) => args.includes(flag))?.[1] ?? process.platform;
const configKey = { linux: 'linux', win32: 'win', darwin: 'mac' }[platform];
if (!configKey) fail(2, `npm run dist: electron-builder has no target for ${platform}.`);

const yaml = require('js-yaml');
const config = yaml.load(readFileSync(join(root, 'electron-builder.yml'), 'utf8'));
const electronVersion = JSON.parse(readFileSync(require.resolve('electron/package.json'), 'utf8')).version;
const arch = process.arch;
const targets = config[configKey].target.map((t) => `${t.target} (${t.arch.join(', ')})`).join(', ');

console.log(`npm run dist builds Obnova ${readPackageVersion()} for ${platform} with Electron ${electronVersion}: ${targets}`);
console.log(`  into ${config.directories.output}/, with fuses set, pkcs11js rebuilt for Electron, and latest*.yml update files.`);
console.log('  electron-builder also needs its packaging tools (fpm, appimagetool, NSIS) in ELECTRON_BUILDER_CACHE or a network to fetch them.');
console.log('  Signing uses CSC_LINK/CSC_KEY_PASSWORD (WIN_CSC_LINK on Windows) and APPLE_* for notarisation when set; see docs/packaging.md.');

const electronDist = findElectron();
if (!electronDist) {
  fail(
    2,
    [
      `npm run dist: there is no Electron ${electronVersion} binary for ${platform}-${arch} on this machine, so nothing was packaged.`,
      'The electron package was installed without its binary (ELECTRON_SKIP_BINARY_DOWNLOAD=1, as on offline machines), and electron-builder would try to download one.',
      `Run it on a machine that has one: an \`npm ci\` without ELECTRON_SKIP_BINARY_DOWNLOAD, ELECTRON_DIST=<an unpacked Electron ${electronVersion}>,`,
      `or electron-v${electronVersion}-${electronPlatform()}-${arch}.zip in the Electron cache (${electronCacheDir()}).`,
    ].join('\n'),
  );
}
console.log(`  Electron from ${electronDist.kind === 'dir' ? electronDist.path : `the cache (${electronDist.path})`}.`);
if (dryRun) process.exit(0);

let status = run('npx', ['electron-vite', 'build']);
if (status === 0) {
  console.log(`  Left out of app.asar, never loaded by out/main: ${unusedProductionPackages(root).length} production packages (the CA service's and their dependencies).`);
  const configDir = mkdtempSync(join(tmpdir(), 'obnova-builder-'));
  const overrides = electronDist.kind === 'dir' ? { electronDist: electronDist.path } : {};
  const builderArgs = ['electron-builder', `--${configKey}`, '--publish', 'never', '--config', writePackagingConfig(root, configDir, overrides)];
  try {
    status = run('npx', builderArgs);
  } finally {
    rmSync(configDir, { recursive: true, force: true });
    // electron-builder rebuilt the native modules in node_modules for Electron's ABI; the CLI, web mode
    // and the tests run under Node, so put the Node builds back.
    if (run('npm', ['rebuild', 'pkcs11js', 'better-sqlite3']) !== 0) {
      console.error('npm run dist: `npm rebuild pkcs11js better-sqlite3` failed; run it before using the CLI or the tests.');
    }
  }
}
if (status !== 0) fail(1, `npm run dist: the build failed (exit ${status}); the messages above say why.`);
console.log(`npm run dist: installers are in ${config.directories.output}/.`);

/** Where an Electron binary for the target is: ELECTRON_DIST, the electron package's own download, or the cache. */
function findElectron() {
  const explicit = process.env.ELECTRON_DIST;
  if (explicit) return existsSync(join(explicit, executableName())) ? { kind: 'dir', path: resolve(explicit) } : undefined;
  const packaged = join(root, 'node_modules/electron/dist');
  if (platform === process.platform && existsSync(join(packaged, executableName()))) return { kind: 'dir', path: packaged };
  const zip = join(electronCacheDir(), `electron-v${electronVersion}-${electronPlatform()}-${arch}.zip`);
  return existsSync(zip) ? { kind: 'cache', path: zip } : undefined;
}

function executableName() {
  return { linux: 'electron', win32: 'electron.exe', darwin: 'Electron.app' }[platform];
}

function electronPlatform() {
  return platform === 'win32' ? 'win32' : platform;
}

function electronCacheDir() {
  if (process.env.ELECTRON_CACHE) return process.env.ELECTRON_CACHE;
  if (process.platform === 'darwin') return join(homedir(), 'Library/Caches/electron');
  if (process.platform === 'win32') return join(process.env.LOCALAPPDATA ?? homedir(), 'electron/Cache');
  return join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'electron');
}

function readPackageVersion() {
  return JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).version;
}

function run(command, commandArgs) {
  return spawnSync(command, commandArgs, { cwd: root, stdio: 'inherit' }).status ?? 1;
}

function fail(code, message) {
  console.error(message);
  process.exit(code);
}
