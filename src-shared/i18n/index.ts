/** User-facing words: catalogues, locale resolution, error descriptions and date formatting. React-free. */
export * from './core.js';
export * from './describe-error.js';
export * from './create-i18n.js';
export * from './resources.js';
