import type { EventEmitter } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createSettingsStore } from '../../../src-main/settings/settings-store.js';

// A fake of the parts of electron's app and session the save dialog touches.
const fake = vi.hoisted(() => ({
  systemLocale: 'en-GB',
  session: undefined as EventEmitter | undefined,
}));

vi.mock('electron', async () => {
  const { EventEmitter: Emitter } = await import('node:events');
  fake.session = new Emitter();
  return {
    app: { getLocale: () => fake.systemLocale, getPath: (name: string) => `/home/ana/${name === 'downloads' ? 'Prenosi' : name}` },
    session: { defaultSession: fake.session },
  };
});

const { askWhereToSave, saveDialogOptions } = await import('../../../src-main/shell/save-dialog.js');

/** A download item as will-download hands it over; records the dialog options it was given. */
function download(fileName: string): { options: unknown } {
  const item = { options: undefined as unknown, getFilename: () => fileName, setSaveDialogOptions: (o: unknown) => void (item.options = o) };
  fake.session?.emit('will-download', { preventDefault: () => undefined }, item, {});
  return item;
}

describe('askWhereToSave', () => {
  let appDataDir: string;
  beforeAll(() => {
    appDataDir = mkdtempSync(join(tmpdir(), 'obnova-shell-save-'));
    askWhereToSave(appDataDir);
  });
  afterAll(() => rmSync(appDataDir, { recursive: true, force: true }));

  it('titles the dialog in the system language and filters to the file type when no language is saved', () => {
    fake.systemLocale = 'sr-Latn-RS';
    expect(download('ana-novak-1f2e3d4c.cer').options).toEqual({
      title: 'Sačuvaj ana-novak-1f2e3d4c.cer',
      buttonLabel: 'Sačuvaj',
      defaultPath: join('/home/ana/Prenosi', 'ana-novak-1f2e3d4c.cer'),
      filters: [
        { name: 'Sertifikat (DER)', extensions: ['cer'] },
        { name: 'Sve datoteke', extensions: ['*'] },
      ],
      properties: ['createDirectory', 'showOverwriteConfirmation'],
    });
  });

  it('uses the language saved in Settings, read at each download', () => {
    const store = createSettingsStore(appDataDir);
    store.update({ language: 'sl' });
    expect(download('2026-000123.pdf').options).toMatchObject({ title: 'Shrani 2026-000123.pdf', filters: [{ name: 'Dokument PDF', extensions: ['pdf'] }, { name: 'Vse datoteke', extensions: ['*'] }] });
    store.update({ language: 'sr-Cyrl' });
    expect(download('2026-000123.pdf').options).toMatchObject({ title: 'Сачувај 2026-000123.pdf', buttonLabel: 'Сачувај' });
  });
});

describe('saveDialogOptions', () => {
  it('names each type the app writes, whatever the case of the extension', () => {
    const first = (name: string) => saveDialogOptions(name, 'en', '/tmp').filters?.[0];
    expect(first('a.PEM')).toEqual({ name: 'Certificate (PEM)', extensions: ['pem'] });
    expect(first('a.p7b')).toEqual({ name: 'Certificate with its chain (PKCS #7)', extensions: ['p7b'] });
    expect(first('bundle.zip')).toEqual({ name: 'ZIP archive', extensions: ['zip'] });
    expect(first('a.der')).toEqual({ name: 'Certificate (DER)', extensions: ['der'] });
  });

  it('names an unknown type by its extension, and offers only all files for a name without one', () => {
    expect(saveDialogOptions('notes.xyz', 'en', '/tmp').filters).toEqual([
      { name: 'XYZ file', extensions: ['xyz'] },
      { name: 'All files', extensions: ['*'] },
    ]);
    expect(saveDialogOptions('README', 'en', '/tmp').filters).toEqual([{ name: 'All files', extensions: ['*'] }]);
  });
});
