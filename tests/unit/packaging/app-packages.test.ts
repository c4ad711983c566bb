import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundleImports, exclusionPatterns, packageClosure, unusedProductionPackages } from '../../../scripts/app-packages.mjs';

/** A project with a built out/main and a package-lock.json, shaped like npm writes them. */
function project(root: string): void {
  mkdirSync(join(root, 'out/main/chunks'), { recursive: true });
  writeFileSync(
    join(root, 'out/main/web.js'),
    [
      'import "reflect-metadata";',
      'import { z } from "zod";',
      'import { join } from "node:path";',
      'import { readFileSync } from "fs";',
      'import { app } from "electron";',
      'import { x } from "./chunks/a.js";',
      'const message = "copied from the card";',
    ].join('\n'),
  );
  writeFileSync(join(root, 'out/main/chunks/a.js'), 'export const x = 1;\nconst g = await import("@scope/lib/sub/path.js");\nconst p = require("native-addon");\n');
  const packages = {
    '': { name: 'fixture' },
    'node_modules/reflect-metadata': { version: '1.0.0' },
    'node_modules/zod': { version: '4.0.0' },
    'node_modules/@scope/lib': { version: '1.0.0', dependencies: { shared: '^2', helper: '^1' } },
    // npm nests a second version of shared under @scope/lib; the top-level one is used by the service only.
    'node_modules/@scope/lib/node_modules/shared': { version: '2.0.0', dependencies: { tiny: '^1' } },
    'node_modules/shared': { version: '1.0.0' },
    'node_modules/helper': { version: '1.0.0' },
    'node_modules/tiny': { version: '1.0.0' },
    'node_modules/native-addon': { version: '1.0.0', optionalDependencies: { prebuilt: '^1' } },
    'node_modules/prebuilt': { version: '1.0.0' },
    'node_modules/server-framework': { version: '5.0.0', dependencies: { shared: '^1' } },
    'node_modules/typescript': { version: '5.9.0', dev: true },
  };
  writeFileSync(join(root, 'package-lock.json'), JSON.stringify({ lockfileVersion: 3, packages }));
}

describe('app packages', () => {
  let root: string;
  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), 'obnova-app-packages-'));
    project(root);
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('reads every bare package out/main imports, requires or side-effect imports, without built-ins and electron', () => {
    expect(bundleImports(root)).toEqual(['@scope/lib', 'native-addon', 'reflect-metadata', 'zod']);
  });

  it("follows dependencies the way npm resolves them: nested copies first, then the folders above", () => {
    expect([...packageClosure(root, bundleImports(root))].sort()).toEqual(['@scope/lib', 'helper', 'native-addon', 'prebuilt', 'reflect-metadata', 'tiny', 'zod']);
  });

  it('leaves out production packages the app never loads, and never lists dev packages', () => {
    expect(unusedProductionPackages(root)).toEqual(['server-framework', 'shared']);
    expect(exclusionPatterns(root)).toEqual(['!node_modules/server-framework{,/**/*}', '!node_modules/shared{,/**/*}']);
  });
});
