/** All catalogues by locale, in the i18next resource shape (one `translation` namespace). */
import type { Locale } from './locales.js';
import type { MessageTree } from './message-tree.js';
import { defaultNamespace } from './namespace.js';
import { en } from './messages/en.js';
import { sl } from './messages/sl.js';
import { srCyrl } from './messages/sr-cyrl.js';
import { srLatn } from './messages/sr-latn.js';

export const catalogues: Readonly<Record<Locale, MessageTree>> = {
  sl,
  'sr-Latn': srLatn,
  'sr-Cyrl': srCyrl,
  en,
};

export const resources = Object.fromEntries(
  Object.entries(catalogues).map(([locale, messages]) => [locale, { [defaultNamespace]: messages }]),
) as Record<Locale, { translation: MessageTree }>;
