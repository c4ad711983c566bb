import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '../../..');
const scratch = mkdtempSync(join(tmpdir(), 'obnova-dist-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** Runs scripts/dist.mjs as `npm run dist` would, with the given environment on top of ours. */
function dist(args: string[], env: Record<string, string>): { status: number | null; stdout: string; stderr: string } {
  const emptyCache = join(scratch, 'empty-cache');
  mkdirSync(emptyCache, { recursive: true });
  const result = spawnSync(process.execPath, ['scripts/dist.mjs', ...args], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, ELECTRON_CACHE: emptyCache, ...env },
    timeout: 30_000,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

const stackFrame = /^\s+at .+\(.+:\d+:\d+\)$/m;

describe('npm run dist', () => {
  it('without an Electron binary: says what it would build and why it cannot, exits 2, no stack trace', () => {
    const result = dist(['--linux'], { ELECTRON_DIST: join(scratch, 'no-electron-here') });
    expect(result.status).toBe(2);
    expect(result.stdout).toMatch(/^npm run dist builds Obnova \S+ for linux with Electron \d+\.\d+\.\d+: AppImage \(x64\), deb \(x64\)$/m);
    expect(result.stderr).toMatch(new RegExp(`^npm run dist: there is no Electron \\d+\\.\\d+\\.\\d+ binary for linux-${process.arch} on this machine, so nothing was packaged\\.$`, 'm'));
    expect(result.stderr).not.toMatch(stackFrame);
    expect(result.stderr).not.toMatch(/Error:/);
  });

  it('names the target platform asked for', () => {
    const result = dist(['--win', '--dry-run'], { ELECTRON_DIST: join(scratch, 'no-electron-here') });
    expect(result.status).toBe(2);
    expect(result.stdout).toMatch(/for win32 with Electron .*: nsis \(x64\)/);
    expect(result.stderr).toContain('electron-v');
  });

  it('finds an Electron given in ELECTRON_DIST (dry run: nothing is built)', () => {
    const electronDir = join(scratch, 'electron-dist');
    mkdirSync(electronDir, { recursive: true });
    writeFileSync(join(electronDir, 'electron'), '');
    const result = dist(['--dry-run'], { ELECTRON_DIST: electronDir });
    expect(result.status).toBe(0);
    expect(result.stdout).toContain(`Electron from ${electronDir}.`);
  });

  it("on this machine's own install: ready only when the electron package has its binary", () => {
    const { ELECTRON_DIST: _ignored, ...env } = process.env;
    const result = spawnSync(process.execPath, ['scripts/dist.mjs', '--dry-run'], {
      cwd: root,
      encoding: 'utf8',
      env: { ...env, ELECTRON_CACHE: join(scratch, 'empty-cache') },
    });
    const hasBinary = existsSync(join(root, 'node_modules/electron/dist/electron'));
    expect(result.status).toBe(hasBinary ? 0 : 2);
    expect(result.stderr).not.toMatch(stackFrame);
  });
});
