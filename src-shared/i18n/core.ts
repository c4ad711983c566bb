/**
 * The i18n pieces that carry no catalogue: locales, their resolution, date formatting and instances over
 * supplied catalogues. The renderer imports this, so each catalogue stays a chunk of its own.
 */
export * from './locales.js';
export * from './resolve-locale.js';
export * from './format-date.js';
export * from './i18n-options.js';
export * from './namespace.js';
export type { MessageTree } from './message-tree.js';
