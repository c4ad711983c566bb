#!/usr/bin/env node
/**
 * Runs before `npm run demo` and `npm test` (their npm `pre` scripts), so that each works as the very
 * first command on a fresh clone: the Debian packages (scripts/setup-system), then the npm
 * dependencies (`npm ci`, without the Electron binary) when node_modules is missing or does not
 * match package-lock.json. Plain Node with no dependencies: it runs before anything is installed.
 * When everything is in place it does no install work and says so in one line per step.
 *
 * node_modules matches package-lock.json when npm's own record of what it installed
 * (node_modules/.package-lock.json, written by every npm ci / npm install) lists every package the
 * lockfile needs on this machine at the same version and integrity.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, lstatSync, readFileSync, realpathSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const say = (text) => console.log(`ensure-installed: ${text}`);

/**
 * Why node_modules does not match the lockfile, or null when it does. `lock` and `installed` are
 * the parsed package-lock.json and node_modules/.package-lock.json (undefined when absent).
 */
export function installMismatch(lock, installed) {
  if (!installed) return 'node_modules has no record of an npm install (node_modules/.package-lock.json)';
  const wanted = lock.packages ?? {};
  const have = installed.packages ?? {};
  for (const [path, entry] of Object.entries(wanted)) {
    // The root project, and packages npm skips on this OS or CPU (optional ones such as @esbuild/win32-x64).
    if (path === '' || !path.startsWith('node_modules/')) continue;
    const got = have[path];
    if (!got) {
      if (entry.optional) continue;
      return `${path} is not installed`;
    }
    if (got.version !== entry.version) return `${path} is ${got.version}, package-lock.json wants ${entry.version}`;
    if (entry.integrity && got.integrity && got.integrity !== entry.integrity) return `${path} differs from package-lock.json (integrity)`;
  }
  for (const path of Object.keys(have)) {
    if (!(path in wanted)) return `${path} is installed but not in package-lock.json`;
  }
  return null;
}

function readJson(file) {
  return existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : undefined;
}

function runSetupSystem(root) {
  say('checking Debian packages (scripts/setup-system)');
  const setup = spawnSync('bash', [join(root, 'scripts/setup-system')], { stdio: 'inherit' });
  if (setup.status === 0) return true;
  console.error(
    '\nensure-installed: the Debian packages above are needed first. Run this once, then the same npm command again:\n' +
      `\n    sudo bash ${join(root, 'scripts/setup-system')}\n`,
  );
  return false;
}

/** npm itself: the one that runs this pre script (npm_execpath), else the npm on PATH. */
function npmCommand(args) {
  const npmCli = process.env.npm_execpath;
  return npmCli && existsSync(npmCli) ? [process.execPath, [npmCli, ...args]] : ['npm', args];
}

function ensureNodeModules(root) {
  const lock = readJson(join(root, 'package-lock.json'));
  if (!lock) {
    console.error('ensure-installed: package-lock.json is missing; it is part of the repository (git checkout package-lock.json)');
    return false;
  }
  const modules = join(root, 'node_modules');
  const mismatch = installMismatch(lock, readJson(join(modules, '.package-lock.json')));
  if (!mismatch) {
    say('npm dependencies match package-lock.json, nothing to install');
    return true;
  }
  if (existsSync(modules) && lstatSync(modules).isSymbolicLink()) {
    // A checkout sharing another one's node_modules (a git worktree): npm ci would empty the shared folder.
    say(`node_modules is a link to ${realpathSync(modules)} and ${mismatch}; not installing through the link (run npm ci where it points)`);
    return true;
  }
  say(`installing npm dependencies (npm ci): ${mismatch}`);
  const started = Date.now();
  const [command, args] = npmCommand(['ci', '--no-audit', '--no-fund']);
  const install = spawnSync(command, args, {
    cwd: root,
    stdio: 'inherit',
    // Electron's binary cannot be downloaded here; without it the app runs in web mode.
    env: { ...process.env, ELECTRON_SKIP_BINARY_DOWNLOAD: '1' },
  });
  if (install.status !== 0) {
    console.error(`ensure-installed: npm ci failed (exit ${install.status ?? install.signal}); its output is above`);
    return false;
  }
  say(`npm dependencies installed in ${Math.round((Date.now() - started) / 1000)} s`);
  return true;
}

export function main(root = join(import.meta.dirname, '..')) {
  if (!runSetupSystem(root)) return 1;
  return ensureNodeModules(root) ? 0 : 1;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) process.exitCode = main();
