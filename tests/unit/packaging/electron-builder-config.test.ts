import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { minimatch } from 'minimatch';
import { FuseV1Options, FuseVersion, flipFuses, getCurrentFuseWire, type FuseConfig } from '@electron/fuses';

const root = resolve(import.meta.dirname, '../../..');
const require = createRequire(import.meta.url);

type Config = Record<string, unknown> & {
  files: Array<{ filter: string[] }>;
  electronFuses: Record<string, boolean>;
  protocols: Array<{ name: string; schemes: string[] }>;
  deb: { depends: string[]; recommends: string[] };
  mac: Record<string, unknown>;
  win: Record<string, unknown> & { target: Array<{ target: string }> };
  nsis: Record<string, unknown>;
  linux: { target: Array<{ target: string }> };
  publish: Array<{ provider: string }>;
};

// electron-builder's own loader and JSON-schema validator, so the test rejects what `dist` would reject.
const { getConfig, validateConfiguration } = require('app-builder-lib/out/util/config/config.js') as {
  getConfig: (projectDir: string, configPath: string | null, fromOptions: null) => Promise<Config>;
  validateConfiguration: (config: Config, logger: unknown) => Promise<void>;
};
const { DebugLogger } = require('builder-util') as { DebugLogger: new (enabled: boolean) => unknown };
const { PlatformPackager } = require('app-builder-lib') as {
  PlatformPackager: { prototype: { generateFuseConfig: (fuses: Record<string, boolean>) => Promise<FuseConfig> } };
};

describe('electron-builder.yml', () => {
  let config: Config;
  beforeAll(async () => {
    config = await getConfig(root, null, null);
  });

  it("passes electron-builder's schema, and the schema is strict enough to reject a typo", async () => {
    await expect(validateConfiguration(config, new DebugLogger(false))).resolves.toBeUndefined();
    await expect(validateConfiguration({ ...config, fileAsociations: [] }, new DebugLogger(false))).rejects.toThrow(/fileAsociations/);
  });

  it('builds NSIS for Windows, dmg for macOS, AppImage and deb for Linux', () => {
    expect(config.win.target.map((t) => t.target)).toEqual(['nsis']);
    expect((config.mac.target as Array<{ target: string }>).map((t) => t.target)).toEqual(['dmg']);
    expect(config.linux.target.map((t) => t.target)).toEqual(['AppImage', 'deb']);
  });

  it('makes the deb depend on pcscd (keeping the Electron runtime libraries) and recommend opensc', () => {
    expect(config.deb.depends).toContain('pcscd');
    for (const library of ['libgtk-3-0', 'libnss3', 'libnotify4', 'xdg-utils']) expect(config.deb.depends).toContain(library);
    expect(config.deb.recommends).toEqual(['opensc']);
  });

  it('registers obnova:// on every platform and associates no files', () => {
    expect(config.protocols).toEqual([expect.objectContaining({ schemes: ['obnova'] })]);
    expect(JSON.stringify(config)).not.toContain('fileAssociations');
    const nsh = readFileSync(join(root, String(config.nsis.include)), 'utf8');
    expect(nsh).toMatch(/customInstall[\s\S]*Software\\Classes\\obnova[\s\S]*URL Protocol[\s\S]*"%1"/);
    expect(nsh).toMatch(/customUnInstall[\s\S]*DeleteRegKey SHELL_CONTEXT "Software\\Classes\\obnova"/);
  });

  it('signs macOS builds under the hardened runtime with the entitlements smart cards need, and no others', () => {
    expect(config.mac.hardenedRuntime).toBe(true);
    expect(config.mac.notarize).toBe(true);
    const keys = (file: unknown): string[] => [...readFileSync(join(root, String(file)), 'utf8').matchAll(/<key>([^<]+)<\/key>\s*<true\/>/g)].map((m) => m[1] ?? '');
    expect(keys(config.mac.entitlements).sort()).toEqual([
      'com.apple.security.cs.allow-jit',
      'com.apple.security.cs.disable-library-validation',
      'com.apple.security.smartcard',
    ]);
    expect(keys(config.mac.entitlementsInherit)).toEqual(['com.apple.security.cs.allow-jit']);
  });

  it('keeps signing secrets out of the file: certificates and passwords come from the environment', () => {
    const text = readFileSync(join(root, 'electron-builder.yml'), 'utf8');
    expect(text).not.toMatch(/^\s*(cscLink|cscKeyPassword|certificatePassword|certificateFile|appleIdPassword)\s*:/m);
    expect(config.win.verifyUpdateCodeSignature).toBe(true);
    expect(config.win.signtoolOptions).toMatchObject({ publisherName: 'Obnova' });
  });

  it("ships the app's runtime only: not the CA service's database drivers, HTTP server or the renderer's React sources", () => {
    const exclusions = config.files.flatMap((set) => set.filter).filter((pattern) => pattern.startsWith('!'));
    const excluded = (path: string): boolean => exclusions.some((pattern) => minimatch(path, pattern.slice(1), { dot: true }));
    for (const path of ['better-sqlite3/build/Release/better_sqlite3.node', 'pg/lib/index.js', 'pg-pool/index.js', 'kysely/dist/cjs/index.js', 'fastify/fastify.js', 'react-dom/client.js']) {
      expect(excluded(`node_modules/${path}`), path).toBe(true);
    }
    for (const path of ['pkcs11js/build/Release/pkcs11.node', 'graphene-pk11/build/index.js', 'pino/pino.js', 'zod/index.js', 'electron-updater/out/main.js']) {
      expect(excluded(`node_modules/${path}`), path).toBe(false);
    }
    expect(excluded('out/main/shell.js')).toBe(false);
    expect(excluded('out/main/shell.js.map')).toBe(true);
    expect(excluded('out/service/cli.js'), 'the built obnova-ca').toBe(true);
    expect(config.asar).toBe(true);
    expect(config.publish).toEqual([expect.objectContaining({ provider: 'generic' })]);
  });
});

describe('Electron fuses from electron-builder.yml', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'obnova-fuses-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('flip an Electron-shaped fuse wire to RunAsNode off, NodeOptions and inspect off, cookie encryption, ASAR integrity and ASAR-only on', async () => {
    const config = await getConfig(root, null, null);
    // A stand-in binary: Electron's sentinel, wire version 1, 8 fuses at Electron's defaults ('1' on, '0' off).
    const sentinel = 'dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX';
    const binary = join(dir, 'electron');
    writeFileSync(binary, Buffer.concat([Buffer.alloc(64, 7), Buffer.from(sentinel), Buffer.from([1, 8]), Buffer.from('10110001'), Buffer.alloc(64, 7)]));
    copyFileSync(binary, `${binary}.orig`);

    // electron-builder's own translation of `electronFuses`, then the same @electron/fuses call it makes.
    const fuseConfig = await PlatformPackager.prototype.generateFuseConfig.call({}, config.electronFuses);
    expect(fuseConfig.version).toBe(FuseVersion.V1);
    await flipFuses(binary, fuseConfig);

    const wire = (await getCurrentFuseWire(binary)) as unknown as Record<number, number>;
    const on = (option: FuseV1Options): boolean => String.fromCharCode(wire[option] ?? 0) === '1';
    expect(on(FuseV1Options.RunAsNode)).toBe(false);
    expect(on(FuseV1Options.EnableNodeOptionsEnvironmentVariable)).toBe(false);
    expect(on(FuseV1Options.EnableNodeCliInspectArguments)).toBe(false);
    expect(on(FuseV1Options.EnableCookieEncryption)).toBe(true);
    expect(on(FuseV1Options.EnableEmbeddedAsarIntegrityValidation)).toBe(true);
    expect(on(FuseV1Options.OnlyLoadAppFromAsar)).toBe(true);
    expect(on(FuseV1Options.LoadBrowserProcessSpecificV8Snapshot)).toBe(false);
    // Every fuse is set explicitly, so a new Electron default cannot change the app silently.
    expect(Object.keys(config.electronFuses)).toHaveLength(8);
    expect(readFileSync(binary).length).toBe(readFileSync(`${binary}.orig`).length);
  });
});
