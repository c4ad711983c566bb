#!/usr/bin/env node
// `npm run security:electron [-- --input DIR]`: Electronegativity over what the installer ships
// (out/ + package.json; or DIR, which the tests use for a deliberately insecure app), offline. Fails on any HIGH or MEDIUM finding and on any LOW/INFORMATIONAL one not listed, with a reason,
// in build/electronegativity-accepted.json. Run after `npm run build`.
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import Module, { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';

const require = createRequire(import.meta.url);
const root = resolve(import.meta.dirname, '..');
const acceptedPath = join(root, 'build/electronegativity-accepted.json');

// Electronegativity fetches translations and Electron's release list over the network; the check must
// run offline and give the same answer everywhere, so `got` answers "offline" at once and the release
// check (the one global check that only works online) is excluded.
const originalLoad = Module._load;
Module._load = function load(request, parent, isMain) {
  if (request === 'got' && parent?.filename?.includes('electronegativity')) {
    return () => Promise.reject(new Error('offline: security:electron never uses the network'));
  }
  return originalLoad.call(this, request, parent, isMain);
};
process.env.LANG = 'en-US';

// Its Babel pass emits ClassPrivateProperty for `#field`, a node its walker does not know; with
// classFeatures Babel emits the standard PropertyDefinition/PrivateIdentifier, which the walker knows.
const { Parser } = require('@doyensec/electronegativity/dist/parser/parser.js');
const parseBabel = Parser.prototype.parseBabel;
Parser.prototype.parseBabel = function parseBabelWithClassFeatures(content) {
  this.babelPlugins = this.babelPlugins.map((plugin) => (plugin === 'estree' ? ['estree', { classFeatures: true }] : plugin));
  return parseBabel.call(this, content);
};

// Its walker (estraverse-fb) predates ES2022 class static blocks, which pdf.js (the renderer's invoice-preview
// chunk) uses; a StaticBlock holds statements in `body`, like a BlockStatement, so the walker is told so.
const { VisitorKeys } = createRequire(require.resolve('@doyensec/electronegativity/dist/finder/ast.js'))('estraverse-fb');
VisitorKeys.StaticBlock ??= ['body'];

const inputFlag = process.argv.indexOf('--input');
const input = inputFlag > 0 ? resolve(process.argv[inputFlag + 1] ?? '') : undefined;

if (!input && (!existsSync(join(root, 'out/main/shell.js')) || !existsSync(join(root, 'out/preload/index.cjs')))) {
  console.error('security:electron: out/ is not built. Run `npm run build` first.');
  process.exit(2);
}

const staging = mkdtempSync(join(tmpdir(), 'obnova-electronegativity-'));
try {
  if (input) {
    cpSync(input, staging, { recursive: true });
  } else {
    cpSync(join(root, 'out'), join(staging, 'out'), { recursive: true });
    cpSync(join(root, 'package.json'), join(staging, 'package.json'));
  }
  const electronVersion = JSON.parse(readFileSync(require.resolve('electron/package.json'), 'utf8')).version;

  const quietLog = console.log;
  console.log = (...args) => {
    if (!String(args[0]).startsWith('Could not retrieve updated translations')) quietLog(...args);
  };
  const run = require('@doyensec/electronegativity');
  const result = await run({
    input: staging,
    isRelative: true,
    isVerbose: false,
    customScan: [],
    excludeFromScan: ['AvailableSecurityFixesGlobalCheck'],
    electronVersionOverride: electronVersion,
    parserPlugins: [],
  });
  console.log = quietLog;

  const { accepted, reviewed } = JSON.parse(readFileSync(acceptedPath, 'utf8'));
  const findings = result.issues.map((issue) => ({
    id: issue.id,
    severity: issue.severity.name,
    reviewOnly: issue.manualReview === true,
    file: relative(staging, resolve(staging, issue.file)),
    line: issue.location.line,
  }));
  // `file` may be a glob: electron-vite names shared chunks by content hash (out/main/chunks/*-HASH.js).
  const { minimatch } = require('minimatch');
  const listed = (list, finding) =>
    list.some((entry) => entry.id === finding.id && minimatch(finding.file, entry.file) && entry.severity === finding.severity);
  // HIGH is never accepted. A MEDIUM passes only as a "review required" marker (the tool saw a feature
  // worth a look, not an insecure setting) that a named test reviews. LOW/INFORMATIONAL need a reason.
  const verdict = (finding) => {
    if (finding.severity === 'HIGH') return 'BLOCKING';
    if (finding.severity === 'MEDIUM') return finding.reviewOnly && listed(reviewed, finding) ? 'reviewed' : 'BLOCKING';
    return listed(accepted, finding) ? 'accepted' : 'BLOCKING';
  };

  console.log(`Electronegativity ${require('@doyensec/electronegativity/package.json').version} over ${input ?? 'out/ + package.json'}, Electron ${electronVersion}: ${result.atomicChecks} atomic and ${result.globalChecks} global checks`);
  for (const finding of findings) {
    console.log(`  ${verdict(finding).padEnd(8)} ${finding.severity.padEnd(13)} ${finding.id} ${finding.file}:${finding.line}${finding.reviewOnly ? ' (review required)' : ''}`);
  }
  const parseErrors = result.errors.filter((error) => !error.tolerable);
  for (const error of parseErrors) console.log(`  BLOCKING could not parse ${relative(staging, error.file)}: ${error.message}`);

  const count = (predicate) => findings.filter(predicate).length;
  const blocking = count((f) => verdict(f) === 'BLOCKING') + parseErrors.length;
  console.log(
    `security:electron: ${count((f) => f.severity === 'HIGH')} high, ` +
      `${count((f) => f.severity === 'MEDIUM' && !f.reviewOnly)} medium findings; ` +
      `${count((f) => verdict(f) === 'reviewed')} review-required marker(s) reviewed; ` +
      `${count((f) => verdict(f) === 'accepted')} low/informational accepted; ${blocking} blocking`,
  );
  if (blocking > 0) {
    console.error('security:electron: fix the BLOCKING findings, or for a LOW one add it with a reason to build/electronegativity-accepted.json and docs/security.md.');
    process.exitCode = 1;
  }
} finally {
  rmSync(staging, { recursive: true, force: true });
}
