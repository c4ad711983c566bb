/** User-facing words: catalogues, locale resolution, error descriptions and date formatting. React-free. */
export * from './locales.js';
export * from './resolve-locale.js';
export * from './describe-error.js';
export * from './format-date.js';
export * from './create-i18n.js';
export * from './resources.js';
export type { MessageTree } from './message-tree.js';
