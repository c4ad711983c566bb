// Lint enforces the layer rules of docs/architecture.md, so the folders keep telling the architecture.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';

const nodeBuiltins = ['node:*', 'fs', 'path', 'os', 'child_process', 'crypto', 'http', 'https', 'net', 'url', 'util', 'stream', 'events'];
const restrict = (patterns) => ['error', { patterns }];

export default tseslint.config(
  { ignores: ['out/**', 'dist/**', 'node_modules/**', 'tests/e2e/artifacts/**', '.obnova-demo/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      'no-console': 'off',
    },
  },
  {
    files: ['src-shared/**'],
    rules: {
      'no-restricted-imports': restrict([
        { group: ['**/src-main/**', '**/src-renderer/**', '**/src-preload/**', '**/src-service/**'], message: 'src-shared imports no other src-* folder.' },
        { group: ['electron', 'pkcs11js', 'graphene-pk11', 'node-webcrypto-p11'], message: 'src-shared is platform-neutral.' },
      ]),
    },
  },
  {
    files: ['src-shared/contract/**', 'src-shared/i18n/**'],
    rules: {
      'no-restricted-imports': restrict([
        { group: ['**/src-main/**', '**/src-renderer/**', '**/src-preload/**', '**/src-service/**', '**/pki/**'], message: 'The contract and i18n are browser-safe and import no other layer.' },
        { group: ['electron', ...nodeBuiltins], message: 'The contract and i18n run in the browser too.' },
      ]),
    },
  },
  {
    files: ['src-renderer/**'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      'no-restricted-imports': restrict([
        { group: ['**/src-main/**', '**/src-preload/**', '**/src-service/**', '**/src-shared/pki/**'], message: 'The renderer imports only src-shared/contract and src-shared/i18n.' },
        { group: ['**/src-shared/i18n/index.js', '**/src-shared/i18n/resources.js', '**/src-shared/i18n/create-i18n.js', '**/src-shared/i18n/describe-error.js'], message: 'The renderer loads one catalogue at a time: import src-shared/i18n/core.js (and messages/* only through renderer-i18n.ts).' },
        { group: ['electron', ...nodeBuiltins], message: 'The renderer has no Node or Electron; go through window.obnova.' },
      ]),
    },
  },
  {
    files: ['src-preload/**'],
    rules: {
      'no-restricted-imports': restrict([
        { group: ['**/src-main/**', '**/src-renderer/**', '**/src-service/**', '**/src-shared/pki/**', '**/src-shared/i18n/**'], message: 'The preload imports only the contract and electron.' },
      ]),
    },
  },
  {
    files: ['src-main/**'],
    ignores: ['src-main/shell/**', 'src-main/token/**'],
    rules: {
      'no-restricted-imports': restrict([
        { group: ['electron'], message: 'Only src-main/shell imports electron: the rest must run under plain Node.' },
        { group: ['pkcs11js', 'graphene-pk11', 'node-webcrypto-p11'], message: 'Only src-main/token talks PKCS#11.' },
        { group: ['**/src-service/**', '**/src-renderer/**'], message: 'The app meets the service only over HTTP.' },
      ]),
    },
  },
  {
    files: ['src-main/shell/**'],
    rules: {
      'no-restricted-imports': restrict([
        { group: ['pkcs11js', 'graphene-pk11', 'node-webcrypto-p11'], message: 'Only src-main/token talks PKCS#11.' },
        { group: ['**/src-service/**', '**/src-renderer/**'], message: 'The app meets the service only over HTTP.' },
      ]),
    },
  },
  {
    files: ['src-main/token/**'],
    rules: {
      'no-restricted-imports': restrict([
        { group: ['electron'], message: 'The token layer runs under plain Node.' },
        { group: ['**/src-service/**', '**/src-renderer/**'], message: 'The app meets the service only over HTTP.' },
      ]),
    },
  },
  {
    files: ['src-service/**'],
    rules: {
      'no-restricted-imports': restrict([
        { group: ['**/src-main/**', '**/src-renderer/**', '**/src-preload/**', 'electron'], message: 'The service never imports the app.' },
      ]),
    },
  },
);
