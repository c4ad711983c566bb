import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
// @ts-expect-error a plain-Node script without types: it runs before any dependency is installed
import { installMismatch } from '../../../scripts/ensure-installed.mjs';
import { slowestFilesLines } from '../../helpers/summary-reporter.js';

const lock = {
  packages: {
    '': { name: 'obnova' },
    'node_modules/zod': { version: '4.6.7', integrity: 'sha512-zod' },
    'node_modules/@esbuild/win32-x64': { version: '0.25.0', optional: true },
  },
};
const installedAsLocked = { packages: { 'node_modules/zod': { version: '4.6.7', integrity: 'sha512-zod' } } };

describe('installMismatch: does node_modules match package-lock.json', () => {
  it('matches when every package the lockfile needs here is installed at its version (optional ones for other platforms left out)', () => {
    expect(installMismatch(lock, installedAsLocked)).toBeNull();
  });

  it('does not match without npm’s record of an install, a package missing, at another version or integrity, or one too many', () => {
    expect(installMismatch(lock, undefined)).toMatch(/no record/);
    expect(installMismatch(lock, { packages: {} })).toBe('node_modules/zod is not installed');
    expect(installMismatch(lock, { packages: { 'node_modules/zod': { version: '4.0.0' } } })).toMatch(/4\.0\.0, package-lock.json wants 4\.6\.7/);
    expect(installMismatch(lock, { packages: { 'node_modules/zod': { version: '4.6.7', integrity: 'sha512-other' } } })).toMatch(/integrity/);
    expect(installMismatch(lock, { packages: { ...installedAsLocked.packages, 'node_modules/left-pad': { version: '1.0.0' } } })).toMatch(/left-pad is installed but not in/);
  });
});

describe('scripts/ensure-installed.mjs as the pre script of npm test and npm run demo', () => {
  const dirs: string[] = [];
  afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

  /** A checkout with the helper, a stand-in setup-system and a stand-in npm that records its calls. */
  function fakeCheckout(setupExit = 0): { root: string; run: () => { status: number | null; out: string }; npmCalls: () => string[] } {
    const root = mkdtempSync(join(tmpdir(), 'obnova-ensure-'));
    dirs.push(root);
    mkdirSync(join(root, 'scripts'));
    copyFileSync(join(import.meta.dirname, '../../../scripts/ensure-installed.mjs'), join(root, 'scripts/ensure-installed.mjs'));
    writeFileSync(join(root, 'scripts/setup-system'), `echo "setup-system ran"\nexit ${setupExit}\n`);
    writeFileSync(join(root, 'package-lock.json'), JSON.stringify(lock));
    const log = join(root, 'npm-calls.log');
    const fakeNpm = join(root, 'fake-npm.mjs');
    writeFileSync(
      fakeNpm,
      `import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
       appendFileSync(${JSON.stringify(log)}, process.argv.slice(2).join(' ') + ' ELECTRON_SKIP_BINARY_DOWNLOAD=' + process.env.ELECTRON_SKIP_BINARY_DOWNLOAD + '\\n');
       mkdirSync('node_modules', { recursive: true });
       writeFileSync('node_modules/.package-lock.json', ${JSON.stringify(JSON.stringify(installedAsLocked))});`,
    );
    const run = (): { status: number | null; out: string } => {
      const r = spawnSync(process.execPath, [join(root, 'scripts/ensure-installed.mjs')], {
        cwd: root,
        env: { ...process.env, npm_execpath: fakeNpm },
        encoding: 'utf8',
      });
      return { status: r.status, out: r.stdout + r.stderr };
    };
    const npmCalls = (): string[] => (existsSync(log) ? readFileSync(log, 'utf8').trim().split('\n') : []);
    return { root, run, npmCalls };
  }

  it('on a fresh clone runs setup-system and npm ci without the Electron binary; a second run installs nothing', () => {
    const checkout = fakeCheckout();
    const first = checkout.run();
    expect(first.status).toBe(0);
    expect(first.out).toContain('setup-system ran');
    expect(first.out).toMatch(/installing npm dependencies \(npm ci\): node_modules has no record/);
    expect(checkout.npmCalls()).toEqual(['ci --no-audit --no-fund ELECTRON_SKIP_BINARY_DOWNLOAD=1']);

    const second = checkout.run();
    expect(second.status).toBe(0);
    expect(second.out).toContain('nothing to install');
    expect(checkout.npmCalls()).toHaveLength(1);
  });

  it('reinstalls when package-lock.json moved on since the last install', () => {
    const checkout = fakeCheckout();
    checkout.run();
    writeFileSync(join(checkout.root, 'node_modules/.package-lock.json'), JSON.stringify({ packages: { 'node_modules/zod': { version: '3.0.0' } } }));
    expect(checkout.run().out).toMatch(/npm ci\): node_modules\/zod is 3\.0\.0/);
    expect(checkout.npmCalls()).toHaveLength(2);
  });

  it('stops with the sudo line when setup-system cannot install the Debian packages, before touching npm', () => {
    const checkout = fakeCheckout(1);
    const result = checkout.run();
    expect(result.status).toBe(1);
    expect(result.out).toContain(`sudo bash ${join(checkout.root, 'scripts/setup-system')}`);
    expect(checkout.npmCalls()).toEqual([]);
  });

  it('never installs through a node_modules that is a link to another checkout’s', () => {
    const checkout = fakeCheckout();
    const shared = mkdtempSync(join(tmpdir(), 'obnova-shared-modules-'));
    dirs.push(shared);
    symlinkSync(shared, join(checkout.root, 'node_modules'));
    const result = checkout.run();
    expect(result.status).toBe(0);
    expect(result.out).toMatch(/is a link to .*not installing through the link/);
    expect(checkout.npmCalls()).toEqual([]);
  });
});

describe('the slowest test files at the end of a run', () => {
  it('lists the ten slowest, slowest first, with their seconds', () => {
    const files = Array.from({ length: 12 }, (_, i) => ({ path: `tests/f${i}.test.ts`, seconds: i * 1.5 }));
    const lines = slowestFilesLines(files);
    expect(lines[0]).toBe('slowest 10 test files:');
    expect(lines).toHaveLength(11);
    expect(lines[1]).toBe('  16.5 s  tests/f11.test.ts');
    expect(lines.at(-1)).toBe('   3.0 s  tests/f2.test.ts');
  });
});
