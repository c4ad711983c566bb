// Which installed production packages the desktop app actually loads. package.json serves both the app
// and the CA's renewal service, so electron-builder alone would pack the service's database drivers and
// HTTP server too. The built main process (out/main) names every package it loads (electron-vite leaves
// dependencies external); their closure in package-lock.json is what the app needs, the rest is left out.
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { builtinModules, createRequire } from 'node:module';
import { join } from 'node:path';

const require = createRequire(import.meta.url);

/** Bare package names that out/main/**.js imports or requires (not electron, not Node built-ins). */
export function bundleImports(root) {
  const names = new Set();
  const visit = (dir) => {
    for (const entry of readdirSync(dir)) {
      const path = join(dir, entry);
      if (statSync(path).isDirectory()) visit(path);
      else if (entry.endsWith('.js') || entry.endsWith('.mjs') || entry.endsWith('.cjs')) {
        const text = readFileSync(path, 'utf8');
        // `from "x"`, side-effect `import "x"`, `import("x")`, `require("x")`; x a bare package specifier.
        const specifier = /(?:\bfrom\s*|\bimport\s*|\bimport\s*\(\s*|\brequire\s*\(\s*)["']((?:@[a-z0-9][\w.-]*\/)?[a-z0-9][\w.-]*(?:\/[\w.-]+)*)["']/g;
        for (const match of text.matchAll(specifier)) {
          const name = packageName(match[1]);
          if (name && name !== 'electron' && !name.startsWith('node:') && !builtinModules.includes(name)) names.add(name);
        }
      }
    }
  };
  visit(join(root, 'out/main'));
  return [...names].sort();
}

/** Top-level packages (node_modules/<name>) in the closure of `entries` over package-lock.json's dependencies. */
export function packageClosure(root, entries) {
  const packages = lockPackages(root);
  const seen = new Set();
  const queue = entries.map((name) => `node_modules/${name}`);
  while (queue.length > 0) {
    const key = queue.shift();
    if (seen.has(key) || !packages[key]) continue;
    seen.add(key);
    const entry = packages[key];
    for (const dependency of Object.keys({ ...entry.dependencies, ...entry.optionalDependencies, ...entry.peerDependencies })) {
      const resolved = resolveFrom(packages, key, dependency);
      if (resolved) queue.push(resolved);
    }
  }
  return new Set([...seen].map((key) => topLevelName(key)));
}

/** Production packages at the top of node_modules that the app never loads, sorted. */
export function unusedProductionPackages(root) {
  const needed = packageClosure(root, bundleImports(root));
  return Object.entries(lockPackages(root))
    .filter(([key, entry]) => key.startsWith('node_modules/') && !key.slice('node_modules/'.length).includes('node_modules/') && !entry.dev)
    .map(([key]) => topLevelName(key))
    .filter((name) => !needed.has(name))
    .sort();
}

/** electron-builder `files` patterns that leave those packages out. */
export function exclusionPatterns(root) {
  return unusedProductionPackages(root).map((name) => `!node_modules/${name}{,/**/*}`);
}

/**
 * electron-builder.yml with the unused packages added to `files` as exclusions, written as
 * `<dir>/electron-builder.json` for `electron-builder --config` (which then reads it instead of the YAML). Needs out/.
 */
export function writePackagingConfig(root, dir, overrides = {}) {
  const config = require('js-yaml').load(readFileSync(join(root, 'electron-builder.yml'), 'utf8'));
  config.files = [...config.files, ...exclusionPatterns(root)];
  const path = join(dir, 'electron-builder.json');
  writeFileSync(path, JSON.stringify({ ...config, ...overrides }, null, 2));
  return path;
}

function packageName(specifier) {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

function lockPackages(root) {
  return JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8')).packages;
}

/** npm's lookup: node_modules/<dep> next to the package, then in each folder above it. */
function resolveFrom(packages, fromKey, dependency) {
  let base = fromKey;
  for (;;) {
    const candidate = `${base}/node_modules/${dependency}`;
    if (packages[candidate]) return candidate;
    const cut = base.lastIndexOf('/node_modules/');
    if (cut < 0) break;
    base = base.slice(0, cut);
  }
  return packages[`node_modules/${dependency}`] ? `node_modules/${dependency}` : undefined;
}

function topLevelName(key) {
  const rest = key.slice('node_modules/'.length);
  return packageName(rest.split('/node_modules/')[0]);
}
