import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { installedElectronBinary } from '../../../scripts/electron-binary.js';

describe('installedElectronBinary', () => {
  const dirs: string[] = [];
  const fakeRoot = (): string => {
    const root = mkdtempSync(join(tmpdir(), 'obnova-electron-'));
    dirs.push(root);
    mkdirSync(join(root, 'node_modules/electron'), { recursive: true });
    return root;
  };
  afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

  it('finds nothing when the binary was never downloaded (no path.txt), without trying to download', () => {
    expect(installedElectronBinary(fakeRoot(), {})).toBeUndefined();
  });

  it('finds nothing when path.txt names a binary that is not there', () => {
    const root = fakeRoot();
    writeFileSync(join(root, 'node_modules/electron/path.txt'), 'electron');
    expect(installedElectronBinary(root, {})).toBeUndefined();
  });

  it('returns the binary when it is installed, or under ELECTRON_OVERRIDE_DIST_PATH', () => {
    const root = fakeRoot();
    writeFileSync(join(root, 'node_modules/electron/path.txt'), 'electron');
    mkdirSync(join(root, 'node_modules/electron/dist'));
    writeFileSync(join(root, 'node_modules/electron/dist/electron'), '');
    expect(installedElectronBinary(root, {})).toBe(join(root, 'node_modules/electron/dist/electron'));
    const other = join(root, 'custom');
    mkdirSync(other);
    writeFileSync(join(other, 'electron'), '');
    expect(installedElectronBinary(root, { ELECTRON_OVERRIDE_DIST_PATH: other })).toBe(join(other, 'electron'));
  });
});
