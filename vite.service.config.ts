/**
 * Builds the CA service's command line, `obnova-ca`, into out/service/cli.js: one ES module for
 * plain Node, with the production dependencies left as imports (installed with `npm ci --omit=dev`)
 * and everything else, including the shipped profiles and market policies, bundled in.
 */
import { builtinModules } from 'node:module';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { defineConfig } from 'vite';

const root = import.meta.dirname;
const { dependencies } = JSON.parse(readFileSync(resolve(root, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
const productionDependencies = Object.keys(dependencies);
const isExternal = (id: string): boolean =>
  id.startsWith('node:') || builtinModules.includes(id) || productionDependencies.some((dep) => id === dep || id.startsWith(`${dep}/`));

export default defineConfig({
  build: {
    ssr: resolve(root, 'src-service/cli.ts'),
    outDir: resolve(root, 'out/service'),
    emptyOutDir: true,
    target: 'node20',
    minify: false,
    sourcemap: true,
    rollupOptions: {
      external: isExternal,
      output: { format: 'es', entryFileNames: 'cli.js', banner: '#!/usr/bin/env node' },
    },
  },
  // A dev dependency imported by the service is bundled rather than left for an install that lacks it.
  ssr: { noExternal: true },
});
