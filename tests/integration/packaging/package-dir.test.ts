import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { extractAll, listPackage } from '@electron/asar';
import { FuseV1Options, getCurrentFuseWire } from '@electron/fuses';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundleImports, unusedProductionPackages, writePackagingConfig } from '../../../scripts/app-packages.mjs';
import { addKeyAndCertificate, createSoftHsm, type SoftHsm } from '../../helpers/softhsm.js';

// The real electron-builder run (`--linux dir`) over our config and the built out/, with a stand-in for
// the Electron binary (it cannot be downloaded here): the same packing, asar, unpacking, extra resources
// and fuse flipping a release build does, minus the native rebuild for Electron's ABI.
const root = resolve(import.meta.dirname, '../../..');
const scratch = mkdtempSync(join(tmpdir(), 'obnova-package-'));
const unpacked = join(scratch, 'dist/linux-unpacked');
const asarPath = join(unpacked, 'resources/app.asar');
let files: string[] = [];

/** An "Electron" with Electron's fuse sentinel and its default fuse wire, as electron-builder expects to find. */
function standInElectron(): string {
  const dir = join(scratch, 'electron-dist');
  mkdirSync(join(dir, 'resources'), { recursive: true });
  const wire = Buffer.concat([Buffer.from('dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX'), Buffer.from([1, 8]), Buffer.from('10110001')]);
  writeFileSync(join(dir, 'electron'), Buffer.concat([Buffer.from('#!/bin/sh\nexit 0\n'), wire, Buffer.alloc(32)]));
  chmodSync(join(dir, 'electron'), 0o755);
  writeFileSync(join(dir, 'version'), '45.5.0');
  writeFileSync(join(dir, 'LICENSE'), 'MIT');
  return dir;
}

beforeAll(() => {
  if (!existsSync(join(root, 'out/main/shell.js'))) throw new Error('out/ is missing: run `npm run build` first');
  const config = writePackagingConfig(root, scratch, {
    electronDist: standInElectron(),
    npmRebuild: false,
    directories: { output: join(scratch, 'dist'), buildResources: 'build' },
  });
  const result = spawnSync(process.execPath, [join(root, 'node_modules/electron-builder/cli.js'), '--linux', 'dir', '--publish', 'never', '--config', config], {
    cwd: root,
    encoding: 'utf8',
    timeout: 240_000,
  });
  if (result.status !== 0) throw new Error(`electron-builder failed (${result.status}):\n${result.stdout}\n${result.stderr}`);
  files = listPackage(asarPath, { isPack: false });
}, 300_000);

afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('the packaged app (electron-builder --linux dir)', () => {
  it('flips the fuses in the shipped binary', async () => {
    const wire = (await getCurrentFuseWire(join(unpacked, 'obnova'))) as unknown as Record<number, number>;
    const state = (option: FuseV1Options): string => String.fromCharCode(wire[option] ?? 0);
    expect(state(FuseV1Options.RunAsNode)).toBe('0');
    expect(state(FuseV1Options.EnableNodeOptionsEnvironmentVariable)).toBe('0');
    expect(state(FuseV1Options.EnableNodeCliInspectArguments)).toBe('0');
    expect(state(FuseV1Options.EnableCookieEncryption)).toBe('1');
    expect(state(FuseV1Options.EnableEmbeddedAsarIntegrityValidation)).toBe('1');
    expect(state(FuseV1Options.OnlyLoadAppFromAsar)).toBe('1');
  });

  it('packs the built app without source maps', () => {
    for (const file of ['/package.json', '/out/main/shell.js', '/out/main/web.js', '/out/preload/index.cjs', '/out/renderer/index.html']) expect(files).toContain(file);
    expect(files.filter((file) => file.endsWith('.map'))).toEqual([]);
    expect(files.some((file) => file.startsWith('/src-'))).toBe(false);
  });

  it("carries every package out/main loads and none of the CA service's", () => {
    const packed = new Set(files.filter((f) => /^\/node_modules\/(@[^/]+\/)?[^/]+$/.test(f)).map((f) => f.slice('/node_modules/'.length)));
    for (const name of bundleImports(root)) expect(packed.has(name), name).toBe(true);
    for (const name of ['better-sqlite3', 'fastify', 'pg', 'kysely', 'react', 'react-dom']) expect(packed.has(name), name).toBe(false);
    for (const name of unusedProductionPackages(root)) expect(packed.has(name), name).toBe(false);
  });

  it('unpacks the PKCS#11 addon and ships native-config and the update settings as resources', () => {
    expect(existsSync(join(unpacked, 'resources/app.asar.unpacked/node_modules/pkcs11js/build/Release/pkcs11.node'))).toBe(true);
    expect(existsSync(join(unpacked, 'resources/native-config/pkcs11-modules.json'))).toBe(true);
    expect(readFileSync(join(unpacked, 'resources/app-update.yml'), 'utf8')).toMatch(/^provider: generic$/m);
  });
});

describe('the packaged app, run under Node (web mode) on a SoftHSM token', () => {
  let hsm: SoftHsm;
  let child: ChildProcess | undefined;
  afterAll(() => {
    child?.kill('SIGKILL');
    hsm?.cleanup();
  });

  it('lists the token: every import of the packed main process resolves inside the package', async () => {
    hsm = createSoftHsm({ setProcessEnv: false });
    const token = hsm.createToken({ label: 'Paket' });
    await addKeyAndCertificate(hsm, token, { id: '01', label: 'Ana', subject: { commonName: 'Ana Novak', country: 'SI' }, qualified: false, keyType: 'EC:prime256v1' });
    const app = join(scratch, 'extracted');
    extractAll(asarPath, app);
    const env = { ...hsm.env, OBNOVA_NATIVE_CONFIG_DIR: join(unpacked, 'resources/native-config'), NODE_PATH: '' };
    child = spawn(process.execPath, [join(app, 'out/main/web.js'), '--module', hsm.modulePath], { cwd: scratch, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const url = await new Promise<string>((resolveUrl, reject) => {
      const onData = (chunk: Buffer): void => {
        output += chunk.toString('utf8');
        const match = /http:\/\/127\.0\.0\.1:\d+\/#token=[\w-]+/.exec(output);
        if (match) resolveUrl(match[0]);
      };
      child?.stdout?.on('data', onData);
      child?.stderr?.on('data', onData);
      child?.once('exit', (code) => reject(new Error(`packaged web mode exited with ${code}:\n${output}`)));
    });
    const { origin, hash } = new URL(url);
    const response = await fetch(`${origin}/bridge/call/tokens.list`, {
      method: 'POST',
      headers: { authorization: `Bearer ${new URLSearchParams(hash.slice(1)).get('token') ?? ''}`, 'content-type': 'application/json' },
      body: '{}',
    });
    const result = (await response.json()) as { ok: boolean; value?: { tokens: Array<{ label: string }> } };
    expect(result.ok).toBe(true);
    expect(result.value?.tokens.map((t) => t.label)).toContain('Paket');
  });
});
