import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ObnovaError } from '../../../src-shared/contract/index.js';
import { resolveAppDataDir } from '../../../src-main/settings/app-data-dir.js';
import { loadDeployments } from '../../../src-main/settings/deployments.js';
import { createSettingsStore, defaultSettings } from '../../../src-main/settings/settings-store.js';
import { deploymentJsonSchema } from '../../../src-main/settings/write-deployment-schema.js';
import { findNativeConfigDir } from '../../../src-main/token/native-config.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'obnova-settings-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('settings store', () => {
  it('gives the defaults when there is no file, and writes nothing until a change', () => {
    const store = createSettingsStore(dir);
    expect(store.get()).toEqual(defaultSettings);
    expect(existsSync(store.path)).toBe(false);
  });

  it('keeps a change across stores, in a file only the user can read', () => {
    createSettingsStore(dir).update({ language: 'sl', reminderLeadDays: 30, extraModulePaths: ['/opt/vendor/libp11.so', 'C:\\Windows\\System32\\eTPKCS11.dll'] });
    const again = createSettingsStore(dir);
    expect(again.get()).toMatchObject({ language: 'sl', reminderLeadDays: 30, deployment: 'si-production', logLevel: 'info' });
    expect(statSync(again.path).mode & 0o777).toBe(0o600);
  });

  it('refuses invalid values with INPUT_INVALID naming the field, and keeps the file as it was', () => {
    const store = createSettingsStore(dir);
    store.update({ reminderLeadDays: 14 });
    for (const bad of [{ reminderLeadDays: 0 }, { serviceUrl: 'ftp://x' }, { serviceUrl: 'https://user:pw@host' }, { extraModulePaths: ['relative/lib.so'] }, { logLevel: 'trace' }, { unknown: 1 }]) {
      let caught: unknown;
      try {
        store.update(bad as never);
      } catch (error) {
        caught = error;
      }
      expect(caught, JSON.stringify(bad)).toBeInstanceOf(ObnovaError);
      expect((caught as ObnovaError).code).toBe('INPUT_INVALID');
    }
    expect(store.get().reminderLeadDays).toBe(14);
  });

  it('reads a damaged file field by field: valid fields stay, the rest are defaults; broken JSON gives defaults', () => {
    const store = createSettingsStore(dir);
    writeFileSync(store.path, JSON.stringify({ language: 'sr-Cyrl', reminderLeadDays: -5, logLevel: 'debug', extra: true }));
    expect(store.get()).toEqual({ ...defaultSettings, language: 'sr-Cyrl', logLevel: 'debug' });
    writeFileSync(store.path, '{ not json');
    expect(store.get()).toEqual(defaultSettings);
  });

  it('resets to the defaults by removing the file', () => {
    const store = createSettingsStore(dir);
    store.update({ logLevel: 'debug' });
    expect(store.reset()).toEqual(defaultSettings);
    expect(existsSync(store.path)).toBe(false);
  });

  it('uses serviceUrl when set, else the chosen deployment’s', () => {
    const store = createSettingsStore(dir);
    const deployments = [{ id: 'si-production', name: 'Slovenia', market: 'SI' as const, serviceUrl: 'https://si.example' }];
    expect(store.effectiveServiceUrl(deployments)).toBe('https://si.example');
    store.update({ serviceUrl: 'http://127.0.0.1:9000' });
    expect(store.effectiveServiceUrl(deployments)).toBe('http://127.0.0.1:9000');
    store.update({ serviceUrl: null, deployment: 'gone' });
    expect(store.effectiveServiceUrl(deployments)).toBeNull();
    expect(JSON.parse(readFileSync(store.path, 'utf8')).deployment).toBe('gone');
  });
});

describe('deployments in native-config/deployments', () => {
  it('all load, each named for its id, and the default deployment is among them', () => {
    const { deployments, invalid } = loadDeployments(findNativeConfigDir());
    expect(invalid).toEqual([]);
    expect(deployments.map((d) => d.id)).toEqual(['local-demo', 'rs-production', 'si-production']);
    expect(deployments.map((d) => d.id)).toContain(defaultSettings.deployment);
  });

  it('the committed JSON Schema is the one generated from the contract', () => {
    const committed = JSON.parse(readFileSync(join(findNativeConfigDir(), 'deployments', 'deployment.schema.json'), 'utf8'));
    expect(committed).toEqual(deploymentJsonSchema());
  });

  it('reports a file whose id differs from its name, or that is not valid, without failing', () => {
    const nc = join(dir, 'nc');
    const deploymentsDir = join(nc, 'deployments');
    mkdirSync(deploymentsDir, { recursive: true });
    writeFileSync(join(deploymentsDir, 'a.json'), JSON.stringify({ id: 'b', name: 'B', market: 'SI', serviceUrl: 'https://b.example' }));
    writeFileSync(join(deploymentsDir, 'c.json'), '{');
    writeFileSync(join(deploymentsDir, 'd.json'), JSON.stringify({ id: 'd', name: 'D', market: 'RS', serviceUrl: 'https://d.example' }));
    expect(loadDeployments(nc)).toEqual({ deployments: [{ id: 'd', name: 'D', market: 'RS', serviceUrl: 'https://d.example' }], invalid: ['a.json', 'c.json'] });
  });
});

describe('app data folder', () => {
  it('is OBNOVA_APP_DATA when set, else the OS convention', () => {
    expect(resolveAppDataDir({ env: { OBNOVA_APP_DATA: '/x/y' }, platform: 'linux', home: '/home/a' })).toBe('/x/y');
    expect(resolveAppDataDir({ env: {}, platform: 'linux', home: '/home/a' })).toBe('/home/a/.config/Obnova');
    expect(resolveAppDataDir({ env: { XDG_CONFIG_HOME: '/cfg' }, platform: 'linux', home: '/home/a' })).toBe('/cfg/Obnova');
    expect(resolveAppDataDir({ env: {}, platform: 'darwin', home: '/Users/a' })).toBe('/Users/a/Library/Application Support/Obnova');
    expect(resolveAppDataDir({ env: { APPDATA: 'C:\\Users\\a\\AppData\\Roaming' }, platform: 'win32', home: 'C:\\Users\\a' })).toMatch(/AppData.Roaming.Obnova$/);
  });
});
