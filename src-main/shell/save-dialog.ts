/**
 * Files the window hands out as downloads (a blob link with `download`: the invoice, certificate exports)
 * go through the system's save dialog, titled in the holder's language and filtered to the file's type,
 * instead of Electron's untitled default that offers every file type.
 */
import { extname, join } from 'node:path';
import { app, session, type SaveDialogOptions } from 'electron';
import type { Locale } from '../../src-shared/contract/schemas/app.js';
import { createI18n, resolveLocale } from '../../src-shared/i18n/index.js';
import { createSettingsStore } from '../settings/settings-store.js';

/** Extensions the app writes, each with the words that name its type (der and crt are certificates like cer). */
const typeOfExtension: Readonly<Record<string, 'pdf' | 'cer' | 'pem' | 'p7b' | 'zip'>> = {
  pdf: 'pdf',
  cer: 'cer',
  der: 'cer',
  crt: 'cer',
  pem: 'pem',
  p7b: 'p7b',
  zip: 'zip',
};

/** The save dialog for `fileName` in `locale`: the file's own type first (the default filter), then all files. */
export function saveDialogOptions(fileName: string, locale: Locale, downloadsDir: string): SaveDialogOptions {
  const { t } = createI18n(locale);
  const extension = extname(fileName).slice(1).toLowerCase();
  const known = typeOfExtension[extension];
  const own = extension ? [{ name: known ? t(`saveDialog.types.${known}`) : t('saveDialog.types.other', { extension: extension.toUpperCase() }), extensions: [extension] }] : [];
  return {
    title: t('saveDialog.title', { fileName }),
    buttonLabel: t('saveDialog.button'),
    defaultPath: join(downloadsDir, fileName),
    filters: [...own, { name: t('saveDialog.types.all'), extensions: ['*'] }],
    properties: ['createDirectory', 'showOverwriteConfirmation'],
  };
}

/** Gives every download of the default session those options; the language is the saved one, else the system's. */
export function askWhereToSave(appDataDir: string): void {
  const settings = createSettingsStore(appDataDir);
  session.defaultSession.on('will-download', (_event, item) => {
    // Read now, synchronously: Electron opens the dialog as soon as this listener returns.
    const locale = settings.get().language ?? resolveLocale(app.getLocale());
    item.setSaveDialogOptions(saveDialogOptions(item.getFilename(), locale, app.getPath('downloads')));
  });
}
